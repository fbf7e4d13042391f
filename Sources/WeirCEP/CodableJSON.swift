import WeirCore

/// A `JSONValue` as `Codable`, for snapshots of engine state (not the event path).
///
/// Every value is a one-key object naming its kind, so that integers and doubles stay apart
/// whatever the encoder does with numbers: `{"i":42}`, `{"d":1.5}`, `{"s":"x"}`, `{"b":true}`,
/// `{"n":0}` (null), `{"a":[...]}`, `{"o":[["key",value],...]}` (fields in order).
package struct CodableJSON: Codable, Hashable, Sendable {
    package var value: JSONValue

    package init(_ value: JSONValue) { self.value = value }

    private enum Kind: String, CodingKey { case i, d, s, b, n, a, o }

    private struct Field: Codable {
        var key: String
        var value: CodableJSON

        init(key: String, value: CodableJSON) {
            self.key = key
            self.value = value
        }

        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            key = try c.decode(String.self)
            value = try c.decode(CodableJSON.self)
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.unkeyedContainer()
            try c.encode(key)
            try c.encode(value)
        }
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Kind.self)
        guard let kind = c.allKeys.first, c.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "not a JSON value"))
        }
        switch kind {
        case .i: value = .int(try c.decode(Int64.self, forKey: .i))
        case .d: value = .double(try c.decode(Double.self, forKey: .d))
        case .s: value = .string(try c.decode(String.self, forKey: .s))
        case .b: value = .bool(try c.decode(Bool.self, forKey: .b))
        case .n: value = .null
        case .a: value = .array(try c.decode([CodableJSON].self, forKey: .a).map(\.value))
        case .o:
            var object = JSONObject()
            for field in try c.decode([Field].self, forKey: .o) { object.appendUnchecked(field.key, field.value.value) }
            value = .object(object)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Kind.self)
        switch value {
        case .int(let i): try c.encode(i, forKey: .i)
        case .double(let d): try c.encode(d, forKey: .d)
        case .string(let s): try c.encode(s, forKey: .s)
        case .bool(let b): try c.encode(b, forKey: .b)
        case .null: try c.encode(0, forKey: .n)
        case .array(let a): try c.encode(a.map(CodableJSON.init), forKey: .a)
        case .object(let o): try c.encode(o.fields.map { Field(key: $0.0, value: CodableJSON($0.1)) }, forKey: .o)
        }
    }
}

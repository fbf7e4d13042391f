import WeirCore

/// The value of an AGGREGATE's GROUP BY for one event, as a dictionary key.
///
/// Equality is the expression language's: numbers by value (`1` and `1.0` are one group; `-0.0`
/// is `0`), strings by UTF-8 bytes (not Unicode canonical equivalence), arrays and objects by
/// their compact JSON text (so objects with the same fields in another order are two groups).
/// Building a key from a string of at most 15 UTF-8 bytes does not allocate (Swift stores such
/// strings inline).
package enum GroupKey: Hashable, Sendable {
    /// No GROUP BY: one group.
    case all
    /// GROUP BY gave no value (missing, JSON null): those events form one group of their own,
    /// as SQL groups NULLs together; its `key` is missing.
    case missing
    case bool(Bool)
    /// An integer, or a double with an integral value that fits 64 bits.
    case integer(Int64)
    /// A double with a fraction (or beyond 64-bit integers).
    case double(Double)
    case string(ByteString)
    /// An array or object: its compact JSON text (the identity) and its value.
    case composite(text: String, value: JSONValue)

    /// The key for a GROUP BY value. An evaluation error other than a missing value has no key:
    /// the engine counts the error and skips the event (recommended; nil here).
    package init?(_ value: Val) {
        switch value {
        case .error(.missingAttribute): self = .missing
        case .error: return nil
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .integer(Int64(i))
        case .long(let i): self = .integer(i)
        case .double(let d):
            if let i = Int64(exactly: d) { self = .integer(i) } else { self = .double(d) }
        case .string(let s): self = .string(ByteString(s))
        case .raw(let r): self = .string(ByteString(r.string))
        case .array, .object:
            guard let json = value.json else { return nil }
            self = .composite(text: JSONWriter.string(json), value: json)
        }
    }

    /// The key for a JSON value (`.null` is `.missing`).
    package init(json: JSONValue) {
        self = GroupKey(Val(json, narrow: false)) ?? .missing
    }

    /// The value of `key` in HAVING and EMIT: missing for `.all` and `.missing`.
    package var value: Val {
        switch self {
        case .all, .missing: return .error(.missingAttribute)
        case .bool(let b): return .bool(b)
        case .integer(let i): return .long(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s.string)
        case .composite(_, let v): return Val(v, narrow: false)
        }
    }
}

/// A string compared and hashed by its UTF-8 bytes.
package struct ByteString: Hashable, Sendable, Codable {
    package var string: String

    package init(_ string: String) { self.string = string }

    package static func == (a: ByteString, b: ByteString) -> Bool { a.string.hasSameBytes(as: b.string) }

    package func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    package init(from decoder: any Decoder) throws {
        string = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(string)
    }
}

extension GroupKey: Codable {
    private enum CodingKeys: String, CodingKey { case all, missing, value }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.all) {
            self = .all
        } else if c.contains(.missing) {
            self = .missing
        } else {
            self = GroupKey(json: try c.decode(CodableJSON.self, forKey: .value).value)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .all: try c.encode(true, forKey: .all)
        case .missing: try c.encode(true, forKey: .missing)
        default:
            // Every other key is rebuilt exactly from its JSON value.
            if let json = value.json { try c.encode(CodableJSON(json), forKey: .value) }
        }
    }
}

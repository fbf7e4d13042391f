/// A JSON value owned by Swift: the compact form of event payloads and attribute values that a
/// later stage keeps (a run, a window, a saga) and the value type of Weir's Swift API.
///
/// Numbers keep their JSON kind: an integer from -2^63 to 2^63-1 is `.int` with every digit
/// kept; anything else (a fraction, an exponent, an integer from 2^63 to 2^64-1) is `.double`,
/// the nearest one (18446744073709551615 reads as 1.8446744073709552e+19). Ingest rejects, as
/// not valid JSON, an integer written without fraction or exponent below -2^63 or above 2^64-1.
///
/// ```swift
/// let order: JSONValue = ["orderId": "o1", "totalAmount": 1250.5, "items": [["sku": "p1"]]]
/// order["items"]?[0]?["sku"]   // .string("p1")
/// ```
///
/// Every walk over a value (writing, packing, comparing, hashing) is iterative, so a value of
/// any nesting depth can be handled on any thread. Releasing a value is Swift's own (recursive)
/// walk: a value nested tens of thousands of levels deep is released with `JSONValue.release(_:)`.
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// The value at `key` when this is an object holding it (a JSON `null` counts as absent).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let object) = self, let value = object[key], value != .null else { return nil }
        return value
    }

    /// The element at `index` when this is an array long enough (a JSON `null` counts as absent).
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        let value = array[index]
        return value == .null ? nil : value
    }
}

/// A JSON object: its fields in document order, looked up by exact (case-sensitive) key.
///
/// When a key appears twice, the last occurrence wins, as in most JSON parsers.
///
/// ```swift
/// let attributes: JSONObject = ["subject": "sub", "priority": 3]
/// ```
public struct JSONObject: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public private(set) var keys: [String]
    public private(set) var values: [JSONValue]

    public init() {
        keys = []
        values = []
    }

    /// Builds an object from fields in order; a repeated key keeps its first position and last value.
    public init<S: Sequence>(_ fields: S) where S.Element == (String, JSONValue) {
        self.init()
        for (key, value) in fields { self[key] = value }
    }

    /// Builds an object from a dictionary literal, in the literal's order (a repeated key keeps
    /// its first position and last value).
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }

    /// An object from parallel keys and values already known to be distinct.
    package init(uncheckedKeys keys: [String], values: [JSONValue]) {
        self.keys = keys
        self.values = values
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    /// The fields in document order.
    public var fields: Zip2Sequence<[String], [JSONValue]> { zip(keys, values) }

    @inlinable
    public func index(of key: String) -> Int? {
        // Exact bytes (JSON keys are not compared by Unicode canonical equivalence); objects
        // are small, so a linear scan beats hashing.
        keys.firstIndex { $0.hasSameBytes(as: key) }
    }

    public subscript(key: String) -> JSONValue? {
        get { index(of: key).map { values[$0] } }
        set {
            if let i = index(of: key) {
                if let newValue { values[i] = newValue } else {
                    keys.remove(at: i)
                    values.remove(at: i)
                }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// An empty object with room for `capacity` fields.
    package init(reservingCapacity capacity: Int) {
        self.init()
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// Appends a field without checking for a duplicate key (for decoders that already know).
    public mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        keys.append(key)
        values.append(value)
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self = .object(JSONObject(elements)) }
}

extension JSONValue: CustomStringConvertible {
    /// The value as compact JSON text.
    public var description: String { JSONWriter.string(self) }
}

extension String {
    /// Byte-for-byte equality of the UTF-8 forms, unlike `==`, which compares by Unicode
    /// canonical equivalence (`"\u{E9}" == "e\u{301}"`). JSON keys and CESQL strings compare bytes.
    @inlinable
    public func hasSameBytes(as other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        var a = self
        var b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0 }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The evaluator's value: what an expression node produces.
///
/// It is internal to the package (the Swift API hands out `JSONValue`s): it adds the two
/// integer widths that CloudEvents SQL needs, strings borrowed from the parser's document,
/// and the error marker of CESQL's fail-fast "value plus error" model.
package enum Val {
    /// CESQL Boolean.
    case bool(Bool)
    /// CESQL Integer: 32 bits, from literals, casts, integer attributes and CESQL functions.
    case int(Int32)
    /// A Weir extension: a 64-bit integer, from JSON data or a literal beyond 32 bits.
    case long(Int64)
    /// A Weir extension: a double, from JSON data or a literal with a fraction.
    case double(Double)
    case string(String)
    /// A string borrowed from the document being evaluated; valid only during the evaluation.
    case raw(RawString)
    case array([JSONValue])
    case object(JSONObject)
    /// Evaluation failed with this kind; the value is the zero of the failing node's type.
    case error(EvaluationErrorKind)
}

extension Val {
    /// The deepest container an expression can read out of an event as a value (`data`,
    /// `data.items`): one holding more levels of nested arrays and objects evaluates to a
    /// `generic` error. Swift releases an owned value by a recursive walk, and this many levels
    /// are released safely on a 512 KiB thread stack; paths into a deeper event (`data.a.a.a`)
    /// and `EXISTS` read in place, at any depth.
    package static let maxContainerDepth = 1000
}

/// UTF-8 bytes borrowed from a parsed document (always valid UTF-8: the parser checked it).
package struct RawString {
    package let base: UnsafePointer<UInt8>
    package let count: Int

    package init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    package var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
    package var string: String { String(decoding: buffer, as: UTF8.self) }

    @inline(__always)
    package func equals(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        count == bytes.count && (count == 0 || memcmp(base, bytes.baseAddress!, count) == 0)
    }
}

extension Val {
    /// The evaluator's view of a JSON value. `narrow` gives integers that fit 32 bits the CESQL
    /// Integer type (used for top-level attributes, which CloudEvents types as 32-bit integers).
    @inline(__always)
    package init(_ json: JSONValue, narrow: Bool) {
        switch json {
        case .null: self = .error(.missingAttribute)
        case .bool(let b): self = .bool(b)
        case .int(let i):
            if narrow, let small = Int32(exactly: i) { self = .int(small) } else { self = .long(i) }
        case .double(let d): self = .double(d)
        case .string(let s): self = .string(s)
        case .array(let a): self = .array(a)
        case .object(let o): self = .object(o)
        }
    }

    /// An owned JSON value for this value (nil for an error).
    package var json: JSONValue? {
        switch self {
        case .bool(let b): return .bool(b)
        case .int(let i): return .int(Int64(i))
        case .long(let i): return .int(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s)
        case .raw(let r): return .string(r.string)
        case .array(let a): return .array(a)
        case .object(let o): return .object(o)
        case .error: return nil
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension JSONWriter {
    /// Writes an evaluator value as JSON (borrowed strings straight from their bytes).
    package mutating func write(_ v: Val) {
        switch v {
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): writeInteger(Int64(i))
        case .long(let i): writeInteger(i)
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .raw(let r): writeString(utf8: r.buffer)
        case .array(let a): write(JSONValue.array(a))
        case .object(let o): write(JSONValue.object(o))
        case .error: append("null")
        }
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes, in place for a native string (small ones
    /// from the stack). `withUTF8` is mutating, so calling it on a parameter needs a copy of
    /// the string: a retain and a release on the hot path.
    @inlinable
    package func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let result = utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = self
        return copy.withUTF8(body)
    }
}

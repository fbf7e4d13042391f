import WeirCore

/// The casts of CloudEvents SQL section 3.7, extended to Weir's 64-bit integers, doubles,
/// arrays and objects. Each returns the cast value or `.error(.cast)`; an error passes through.
enum Cast {
    /// Cast to Boolean: `'true'`/`'false'` in any case, integers (0 is false), doubles (0.0 is false).
    @inline(__always)
    static func toBool(_ v: Val) -> Val {
        switch v {
        case .bool: return v
        case .int(let i): return .bool(i != 0)
        case .long(let i): return .bool(i != 0)
        case .double(let d): return .bool(d != 0)
        case .string(let s): return boolFromText(s.utf8)
        case .raw(let r): return boolFromText(r.buffer)
        case .array, .object: return .error(.cast)
        case .error: return v
        }
    }

    static func boolFromText<C: Collection>(_ bytes: C) -> Val where C.Element == UInt8 {
        // "true" / "false", ASCII case-insensitive.
        func equalsIgnoringCase(_ word: StaticString) -> Bool {
            guard bytes.count == word.utf8CodeUnitCount else { return false }
            var p = word.utf8Start
            for b in bytes {
                let lower = (b >= 65 && b <= 90) ? b | 0x20 : b
                if lower != p.pointee { return false }
                p += 1
            }
            return true
        }
        if equalsIgnoringCase("true") { return .bool(true) }
        if equalsIgnoringCase("false") { return .bool(false) }
        return .error(.cast)
    }

    /// Cast to a number (CESQL's cast to Integer, widened): Booleans become 1/0, strings must be
    /// 32-bit base-10 integers as CESQL requires; 64-bit integers and doubles stay as they are.
    @inline(__always)
    static func toNumber(_ v: Val) -> Val {
        switch v {
        case .int, .long, .double, .error: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .string(let s): return int32FromText(s.utf8)
        case .raw(let r): return int32FromText(r.buffer)
        case .array, .object: return .error(.cast)
        }
    }

    /// CESQL String -> Integer: optional sign, base-10 digits, 32 bits; anything else is a cast error.
    static func int32FromText<C: Collection>(_ bytes: C) -> Val where C.Element == UInt8 {
        guard let v = parseInt64(bytes), let small = Int32(exactly: v) else { return .error(.cast) }
        return .int(small)
    }

    static func parseInt64<C: Collection>(_ bytes: C) -> Int64? where C.Element == UInt8 {
        var it = bytes.makeIterator()
        guard var c = it.next() else { return nil }
        var negative = false
        if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            negative = c == UInt8(ascii: "-")
            guard let next = it.next() else { return nil }
            c = next
        }
        var value: Int64 = 0
        while true {
            guard c >= 48 && c <= 57 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(Int64(c - 48)) : m.addingReportingOverflow(Int64(c - 48))
            if o1 || o2 { return nil }
            value = a
            guard let next = it.next() else { return value }
            c = next
        }
    }

    /// Cast to the numeric kind of `target` (used by `=` when its right operand is a number).
    /// Strings are read as that kind: CESQL Integer text for `.int`, 64-bit text for `.long`,
    /// decimal text for `.double`.
    static func toNumber(_ v: Val, like target: Val) -> Val {
        switch v {
        case .string(let s): return numberFromText(Array(s.utf8), like: target)
        case .raw(let r): return numberFromText(Array(r.buffer), like: target)
        default: return toNumber(v)
        }
    }

    static func numberFromText(_ bytes: [UInt8], like target: Val) -> Val {
        switch target {
        case .long:
            if let v = parseInt64(bytes) { return .long(v) }
            return .error(.cast)
        case .double:
            if let v = parseInt64(bytes) { return .long(v) }
            if let d = parseDouble(bytes) { return .double(d) }
            return .error(.cast)
        default:
            return int32FromText(bytes)
        }
    }

    /// A JSON-style decimal number (`-12.5e3`), nothing else (no `inf`, `nan`, hex or spaces).
    static func parseDouble(_ bytes: [UInt8]) -> Double? {
        var i = 0
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
        var digits = 0
        while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; digits += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1; digits += 1 }
        }
        guard digits > 0 else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
            let start = i
            while i < bytes.count, bytes[i] >= 48, bytes[i] <= 57 { i += 1 }
            guard i > start else { return nil }
        }
        guard i == bytes.count else { return nil }
        guard let d = Double(String(decoding: bytes, as: UTF8.self)), d.isFinite else { return nil }
        return d
    }

    /// Cast to String: never fails for a value; arrays and objects become their JSON text.
    @inline(__always)
    static func toString(_ v: Val) -> Val {
        switch v {
        case .string, .raw, .error: return v
        default: return .string(text(v))
        }
    }

    /// The text of a value as CESQL's cast to String writes it.
    static func text(_ v: Val) -> String {
        switch v {
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .long(let i): return String(i)
        case .double(let d): return doubleText(d)
        case .string(let s): return s
        case .raw(let r): return r.string
        case .array(let a): return JSONWriter.string(.array(a))
        case .object(let o): return JSONWriter.string(.object(o))
        case .error: return ""
        }
    }

    /// Shortest round-trip text, with no exponent for ordinary magnitudes and no trailing `.0`
    /// when the double is integral (`1000`, `59.98`, `1e+300`).
    static func doubleText(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return d.description
    }

    /// Cast to CESQL Integer (32 bits) for functions whose parameter is an Integer:
    /// 64-bit integers and integral doubles that fit are accepted, anything else is a cast error.
    static func toInt32(_ v: Val) -> Val {
        switch toNumber(v) {
        case .int(let i): return .int(i)
        case .long(let l): return Int32(exactly: l).map { .int($0) } ?? .error(.cast)
        case .double(let d): return Int32(exactly: d).map { .int($0) } ?? .error(.cast)
        case .error(let e): return .error(e)
        default: return .error(.cast)
        }
    }
}

extension Val {
    var isError: Bool {
        if case .error = self { return true }
        return false
    }

    /// The UTF-8 bytes of a string value (owned or borrowed), or nil for other kinds.
    @inline(__always)
    func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
        switch self {
        case .raw(let r): return body(r.buffer)
        case .string(var s): return s.withUTF8(body)
        default: return nil
        }
    }

    /// A Swift String for a string value (copies borrowed bytes).
    var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .raw(let r): return r.string
        default: return nil
        }
    }
}

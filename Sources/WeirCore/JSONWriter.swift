/// Serialises JSON values as compact JSON text into a reusable byte buffer.
///
/// Strings are escaped as RFC 8259 requires (quote, backslash and control characters);
/// doubles use the shortest text that reads back to the same value; a non-finite double,
/// which JSON cannot hold, is written as `null`.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 4096) { bytes.reserveCapacity(capacity) }

    /// Compact JSON text of one value.
    public static func string(_ value: JSONValue) -> String {
        var writer = JSONWriter(capacity: 64)
        writer.write(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Writes a value as compact JSON, iteratively (any nesting depth).
    public mutating func write(_ value: JSONValue) {
        var open: [JSONValue.Children] = []
        var next: JSONValue? = value
        while true {
            if let value = next {
                switch value {
                case .null: append("null")
                case .bool(let b): append(b ? "true" : "false")
                case .int(let i): writeInteger(i)
                case .double(let d): writeDouble(d)
                case .string(let s): writeString(s)
                case .array, .object:
                    let children = JSONValue.Children(value)
                    bytes.append(children.isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
                    open.append(children)
                }
            }
            guard let top = open.indices.last else { return }
            let first = open[top].index == 0
            if let (key, child) = open[top].next() {
                if !first { bytes.append(UInt8(ascii: ",")) }
                if let key {
                    writeString(key)
                    bytes.append(UInt8(ascii: ":"))
                }
                next = child
            } else {
                bytes.append(open.removeLast().isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                next = nil
            }
        }
    }

    public mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func appendRaw(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    public mutating func writeInteger(_ value: Int64) {
        if value >= 0 && value < 10 {
            bytes.append(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        // Digits backwards into 20 bytes on the stack (Int64.min has 19 digits and a sign).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var magnitude = value.magnitude
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                i -= 1
                digits[i] = UInt8(ascii: "-")
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i...]))
        }
    }

    public mutating func writeDouble(_ value: Double) {
        guard value.isFinite else { append("null"); return }
        if value == value.rounded(), abs(value) < 1e15 {
            // Integral doubles keep a fraction so that they read back as doubles: 1000.0
            appendRaw(String(value))
            return
        }
        appendRaw(value.description)
    }

    public mutating func writeString(_ value: String) {
        var value = value
        value.withUTF8 { writeString(utf8: $0) }
    }

    public mutating func writeString(utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for i in 0..<utf8.count {
            let c = utf8[i]
            if c >= 0x20 && c != UInt8(ascii: "\"") && c != UInt8(ascii: "\\") { continue }
            if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            runStart = i + 1
            switch c {
            case UInt8(ascii: "\""): append("\\\"")
            case UInt8(ascii: "\\"): append("\\\\")
            case 0x0A: append("\\n")
            case 0x0D: append("\\r")
            case 0x09: append("\\t")
            case 0x08: append("\\b")
            case 0x0C: append("\\f")
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                append("\\u00")
                bytes.append(hex[Int(c >> 4)])
                bytes.append(hex[Int(c & 0xF)])
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes the packed value at `offset` as JSON, without decoding it (iteratively: any
    /// nesting depth).
    package mutating func write(packed: PackedJSON, at offset: Int) {
        let r = packed.reader
        // The fields or elements left in each open container, and whether it is an object.
        var open: [(remaining: Int, isObject: Bool, first: Bool)] = []
        var k = offset
        while true {
            if let top = open.indices.last {
                if open[top].remaining == 0 {
                    bytes.append(open.removeLast().isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
                    if open.isEmpty { return }
                    continue
                }
                open[top].remaining -= 1
                if !open[top].first { bytes.append(UInt8(ascii: ",")) }
                open[top].first = false
                if open[top].isObject {
                    writeString(utf8: r.string(k).buffer)
                    bytes.append(UInt8(ascii: ":"))
                    k += r.size(k)
                }
            }
            switch r.tag(k) {
            case .null: append("null")
            case .false: append("false")
            case .true: append("true")
            case .int: writeInteger(Int64(bitPattern: r.words[k + 1]))
            case .double: writeDouble(Double(bitPattern: r.words[k + 1]))
            case .string: writeString(utf8: r.string(k).buffer)
            case .array, .object:
                let isObject = r.tag(k) == .object
                bytes.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
                open.append((r.payload(k), isObject, true))
                k += 2
                continue
            }
            if open.isEmpty { return }
            k += r.size(k)
        }
    }
}

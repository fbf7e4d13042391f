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

    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .int(let i): writeInteger(i)
        case .double(let d): writeDouble(d)
        case .string(let s): writeString(s)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for i in 0..<object.keys.count {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(object.keys[i])
                bytes.append(UInt8(ascii: ":"))
                write(object.values[i])
            }
            bytes.append(UInt8(ascii: "}"))
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
        appendRaw(String(value))
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

    /// Writes the packed value at `offset` as JSON, without decoding it.
    package mutating func write(packed: PackedJSON, at offset: Int) {
        switch packed.tag(offset) {
        case .null: append("null")
        case .false: append("false")
        case .true: append("true")
        case .int: writeInteger(packed.int(offset))
        case .double: writeDouble(packed.double(offset))
        case .string: writeString(utf8: packed.string(offset).buffer)
        case .array:
            bytes.append(UInt8(ascii: "["))
            var first = true
            var k = offset + 2
            let end = offset + packed.size(offset)
            while k < end {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(packed: packed, at: k)
                k += packed.size(k)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object:
            bytes.append(UInt8(ascii: "{"))
            var first = true
            packed.forEachField(offset) { key, value in
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                writeString(utf8: key.buffer)
                bytes.append(UInt8(ascii: ":"))
                write(packed: packed, at: value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }
}

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
        text.withUTF8Bytes { bytes.append(contentsOf: $0) }
    }

    public mutating func writeInteger(_ value: Int64) {
        appendInPlace(maximum: ByteCursor.integerBound) { $0.putInteger(value) }
    }

    public mutating func writeDouble(_ value: Double) {
        appendInPlace(maximum: ByteCursor.doubleBound) { $0.putDouble(value) }
    }

    /// Appends what `body` writes through the cursor it is given, at most `maximum` bytes
    /// (reserved first, the unused rest given back): many small pieces at the cost of one append.
    @inline(__always)
    package mutating func appendInPlace(maximum: Int, _ body: (inout ByteCursor) -> Void) {
        let old = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: maximum))
        let written = bytes.withUnsafeMutableBufferPointer { buffer in
            let start = buffer.baseAddress! + old
            var cursor = ByteCursor(start, capacity: maximum)
            body(&cursor)
            return cursor.position - start
        }
        bytes.removeLast(maximum - written)
    }

    public mutating func writeString(_ value: String) {
        value.withUTF8Bytes { writeString(utf8: $0) }
    }

    public mutating func writeString(utf8: UnsafeBufferPointer<UInt8>) {
        // Short text in one piece; long text in slices, so that what is reserved stays small.
        let slice = 4096
        if utf8.count <= slice { return appendInPlace(maximum: ByteCursor.quotedBound(utf8.count)) { $0.putString(utf8: utf8) } }
        bytes.append(UInt8(ascii: "\""))
        for start in stride(from: 0, to: utf8.count, by: slice) {
            let part = UnsafeBufferPointer(rebasing: utf8[start..<min(start + slice, utf8.count)])
            appendInPlace(maximum: 6 * part.count) { $0.putEscaped(utf8: part) }
        }
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

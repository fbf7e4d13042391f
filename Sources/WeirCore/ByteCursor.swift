/// Writes JSON text through a pointer into space reserved beforehand
/// (`JSONWriter.appendInPlace(maximum:_:)`): no capacity or uniqueness check per piece, which
/// is most of the cost of appending a few bytes at a time to an array.
///
/// Each method documents the most bytes it writes, so that a caller can reserve enough. Writing
/// past the reserved space is a programming error, and stops the program rather than overwrite
/// memory (one compare per piece).
package struct ByteCursor {
    /// Where the next byte goes.
    package private(set) var position: UnsafeMutablePointer<UInt8>
    /// The end of the reserved space.
    private let end: UnsafeMutablePointer<UInt8>

    package init(_ start: UnsafeMutablePointer<UInt8>, capacity: Int) {
        position = start
        end = start + capacity
    }

    /// One byte.
    @inline(__always)
    package mutating func put(_ byte: UInt8) {
        precondition(position < end, "ByteCursor: past the reserved space")
        position.pointee = byte
        position += 1
    }

    /// The bytes as they are (`bytes.count`).
    @inline(__always)
    package mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        precondition(bytes.count <= end - position, "ByteCursor: past the reserved space")
        ByteCursor.copy(UnsafeMutableRawPointer(position), from: UnsafeRawPointer(base), count: bytes.count)
        position += bytes.count
    }

    /// Copies `count` bytes, the short ones (most names and ids) without a call to `memcpy`:
    /// two overlapping loads and stores, which touch nothing outside either range.
    @inline(__always)
    package static func copy(_ target: UnsafeMutableRawPointer, from source: UnsafeRawPointer, count: Int) {
        switch count {
        case 8...16:
            let head = source.loadUnaligned(as: UInt64.self)
            let tail = source.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
            target.storeBytes(of: head, as: UInt64.self)
            target.storeBytes(of: tail, toByteOffset: count - 8, as: UInt64.self)
        case 4..<8:
            let head = source.loadUnaligned(as: UInt32.self)
            let tail = source.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
            target.storeBytes(of: head, as: UInt32.self)
            target.storeBytes(of: tail, toByteOffset: count - 4, as: UInt32.self)
        case 0..<4:
            for i in 0..<count { target.storeBytes(of: source.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
        default:
            target.copyMemory(from: source, byteCount: count)
        }
    }

    /// Text known at compile time, as it is (its UTF-8 length).
    @inline(__always)
    package mutating func put(_ text: StaticString) {
        text.withUTF8Buffer { put($0) }
    }

    /// The most bytes `putString(utf8:)` writes for `count` bytes of UTF-8: every byte a
    /// `\u00XX` escape, and the quotes.
    @inline(__always)
    package static func quotedBound(_ count: Int) -> Int { 6 * count + 2 }

    /// A JSON string, quoted and escaped as RFC 8259 requires (at most `quotedBound(count)`).
    @inline(__always)
    package mutating func putString(utf8: UnsafeBufferPointer<UInt8>) {
        put(UInt8(ascii: "\""))
        putEscaped(utf8: utf8)
        put(UInt8(ascii: "\""))
    }

    /// The inside of a JSON string: quote, backslash and control characters escaped, the rest
    /// as it is (at most `6 * utf8.count`; escaping is per byte, so text may be cut anywhere).
    package mutating func putEscaped(utf8: UnsafeBufferPointer<UInt8>) {
        guard let base = utf8.baseAddress else { return }
        // Eight bytes at a time up to the first that needs an escape (usually none).
        var clean = 0
        while clean + 8 <= utf8.count, !Self.needsEscape(UnsafeRawPointer(base + clean).loadUnaligned(as: UInt64.self)) {
            clean += 8
        }
        // The last few bytes as one word too (some of them twice, which changes no answer).
        if clean < utf8.count, utf8.count - clean < 8, !Self.needsEscape(Self.tailWord(UnsafeRawPointer(base + clean), utf8.count - clean)) {
            clean = utf8.count
        }
        put(UnsafeBufferPointer(start: base, count: clean))
        guard clean < utf8.count else { return }
        var runStart = clean
        for i in clean..<utf8.count {
            let c = utf8[i]
            if !Self.needsEscape(c) { continue }
            if runStart < i { put(UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            runStart = i + 1
            put(UInt8(ascii: "\\"))
            switch c {
            case UInt8(ascii: "\""): put(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): put(UInt8(ascii: "\\"))
            case 0x0A: put(UInt8(ascii: "n"))
            case 0x0D: put(UInt8(ascii: "r"))
            case 0x09: put(UInt8(ascii: "t"))
            case 0x08: put(UInt8(ascii: "b"))
            case 0x0C: put(UInt8(ascii: "f"))
            default:
                let hex: StaticString = "0123456789abcdef"
                put("u00")
                put(hex.utf8Start[Int(c >> 4)])
                put(hex.utf8Start[Int(c & 0xF)])
            }
        }
        if runStart < utf8.count { put(UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    }

    /// A word holding each of the `count` (1 to 7) bytes at `p`, some twice, the rest a letter:
    /// read with overlapping loads, from registers (a word assembled in memory from smaller
    /// stores would stall the load that reads it back).
    @inline(__always)
    static func tailWord(_ p: UnsafeRawPointer, _ count: Int) -> UInt64 {
        if count >= 4 {
            let low = UInt64(p.loadUnaligned(as: UInt32.self))
            let high = UInt64(p.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
            return low | high << 32
        }
        let first = UInt64(p.load(as: UInt8.self))
        let middle = UInt64(p.load(fromByteOffset: count / 2, as: UInt8.self))
        let last = UInt64(p.load(fromByteOffset: count - 1, as: UInt8.self))
        return 0x4141_4141_4100_0000 | first | middle << 8 | last << 16
    }

    /// Whether JSON needs `byte` escaped in a string: a quote, a backslash or a control character.
    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") }

    /// Whether any of the eight bytes of `word` needs an escape (the zero-byte and less-than
    /// tests of "Bit Twiddling Hacks", exact as a yes or no for any byte).
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return (below | ((quote &- ones) & ~quote & highs) | ((backslash &- ones) & ~backslash & highs)) != 0
    }

    /// `putString(utf8:)` of a `String` (at most `quotedBound(value.utf8.count)`).
    @inline(__always)
    package mutating func putString(_ value: String) {
        value.withUTF8Bytes { putString(utf8: $0) }
    }

    /// The most bytes `putInteger(_:)` writes: `Int64.min`'s 19 digits and its sign.
    package static let integerBound = 20

    /// An integer in decimal (at most `integerBound`).
    package mutating func putInteger(_ value: Int64) {
        if value >= 0 && value < 10 {
            put(UInt8(ascii: "0") &+ UInt8(value))
            return
        }
        var magnitude = value.magnitude
        var digits = 0
        var m = magnitude
        repeat {
            digits += 1
            m /= 10
        } while m > 0
        if value < 0 { put(UInt8(ascii: "-")) }
        precondition(digits <= end - position, "ByteCursor: past the reserved space")
        var p = position + digits
        repeat {
            p -= 1
            p.pointee = UInt8(ascii: "0") &+ UInt8(magnitude % 10)
            magnitude /= 10
        } while magnitude > 0
        position += digits
    }

    /// The most bytes `putDouble(_:)` writes (the longest shortest form of a double is 24
    /// bytes, `-2.2250738585072014e-308`).
    package static let doubleBound = 32

    /// A double as the shortest text that reads back to it, an integral one with its `.0` (so
    /// that it reads back as a double), a non-finite one as `null` (at most `doubleBound`).
    package mutating func putDouble(_ value: Double) {
        guard value.isFinite else { return put("null") }
        var text = value == value.rounded() && abs(value) < 1e15 ? String(value) : value.description
        text.withUTF8 { put(UnsafeBufferPointer(rebasing: $0.prefix(Self.doubleBound))) }
    }
}

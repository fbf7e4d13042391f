#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// A JSON value packed into one immutable block of 64-bit words: the compact owned form that
/// an `Event` keeps its attributes and payload in.
///
/// One allocation per value, no reference counting inside it, and lookups that compare key
/// bytes in place: reading `data.shippingAddress.country` touches a few words and no heap
/// objects, and strings are handed to the evaluator as borrowed bytes.
///
/// Layout: every value starts with a header word, `tag | payload << 4`.
/// - null, false, true: the header alone;
/// - integer, double: the header, then the 64-bit value;
/// - string: payload = byte count, then the UTF-8 bytes padded to whole words;
/// - array: payload = element count, then a word with the body's size in words, then the elements;
/// - object: payload = field count, then the body size, then key (a string) and value, per field.
package struct PackedJSON: @unchecked Sendable, Hashable {
    // Safety: the storage is written only while it is made (`PackedStorage.make`), never
    // afterwards, and never handed out mutably: sharing it across threads is sharing constants.
    package let storage: PackedStorage

    /// The root value's offset (always 0).
    package static let root = 0

    package init(_ value: JSONValue) {
        var builder = PackedBuilder()
        builder.append(value)
        self.init(builder: builder)
    }

    /// A value already packed in `words`, copied into one allocation.
    package init(words: UnsafeBufferPointer<UInt64>) { storage = PackedStorage.make(words) }

    /// The value `builder` built, copied into one allocation (the builder can be reused).
    package init(builder: PackedBuilder) {
        storage = builder.words.withUnsafeBufferPointer { PackedStorage.make($0) }
    }

    package static func == (a: PackedJSON, b: PackedJSON) -> Bool {
        a.storage === b.storage || (a.storage.count == b.storage.count
            && memcmp(a.storage.words, b.storage.words, a.storage.count * 8) == 0)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(bytes: UnsafeRawBufferPointer(start: storage.words, count: storage.count * 8))
    }

    // MARK: Reading

    package enum Tag: UInt64 {
        case null = 0, `false`, `true`, int, double, string, array, object
    }

    @inline(__always)
    package func tag(_ i: Int) -> Tag { reader.tag(i) }

    /// A pointer-based reader of this value's words (valid while this value is alive).
    @inline(__always)
    package var reader: PackedReader { PackedReader(words: storage.words) }

    /// Words taken by the value at `i`.
    @inline(__always)
    package func size(_ i: Int) -> Int { reader.size(i) }

    /// The offset of the field whose key is `key`, packed as a string (`PackedKey`), in the
    /// object at `i`; nil when absent or when `i` is not an object. Keys compare a word at a
    /// time: the header word holds the length, so most mismatches cost one compare.
    @inline(__always)
    package func field(_ i: Int, packedKey key: UnsafePointer<UInt64>) -> Int? {
        reader.field(i, packedKey: key)
    }

    /// The offset of the field named `key` in the object at `i`, or nil (also when `i` is not an object).
    package func field(_ i: Int, _ key: UnsafeBufferPointer<UInt8>) -> Int? {
        // The key packed on the stack (zeroed, for its padding).
        withUnsafeTemporaryAllocation(of: UInt64.self, capacity: PackedCursor.stringWords(key.count)) { words in
            words.initialize(repeating: 0)
            var cursor = PackedCursor(words.baseAddress!, offset: 0, capacity: words.count)
            cursor.putString(key)
            return field(i, packedKey: words.baseAddress!)
        }
    }

    /// The offset of element `index` of the array at `i`, or nil.
    @inline(__always)
    package func element(_ i: Int, _ index: Int) -> Int? { reader.element(i, index) }

    /// The string at `i` as borrowed bytes (valid while this value is alive).
    @inline(__always)
    package func string(_ i: Int) -> RawString { reader.string(i) }

    package func int(_ i: Int) -> Int64 { Int64(bitPattern: storage.words[i + 1]) }
    package func double(_ i: Int) -> Double { Double(bitPattern: storage.words[i + 1]) }

    /// The value at `i` for the evaluator, read through a bare pointer.
    @inline(__always)
    package static func val(_ r: PackedReader, _ i: Int, narrow: Bool) -> Val {
        let w = r.words[i]
        switch w & 0xF {
        case 5:
            return .raw(RawString(base: UnsafeRawPointer(r.words + i + 1).assumingMemoryBound(to: UInt8.self),
                                  count: Int(truncatingIfNeeded: w >> 4)))
        case 3:
            let v = Int64(bitPattern: r.words[i + 1])
            if narrow, let small = Int32(exactly: v) { return .int(small) }
            return .long(v)
        case 4: return .double(Double(bitPattern: r.words[i + 1]))
        case 2: return .bool(true)
        case 1: return .bool(false)
        case 0: return .error(.missingAttribute)
        default:
            // Containers are decoded (allocating): only functions and IN over arrays need them.
            guard let value = r.decode(i, maxDepth: Val.maxContainerDepth) else { return .error(.generic) }
            return Val(value, narrow: narrow)
        }
    }

    /// The value at `i` as an owned `JSONValue`.
    package func decode(_ i: Int = 0) -> JSONValue { reader.decode(i) }

    /// Calls `body` with each key and value offset of the object at `i`, in order.
    package func forEachField(_ i: Int, _ body: (RawString, Int) throws -> Void) rethrows {
        guard tag(i) == .object else { return }
        let r = reader
        var k = i + 2
        for _ in 0..<r.payload(i) {
            let key = r.string(k)
            k += r.size(k)
            try body(key, k)
            k += r.size(k)
        }
    }
}

/// Reads packed words through a bare pointer: what the evaluator uses, with no reference to
/// retain. Valid while the `PackedJSON` it came from is alive.
package struct PackedReader {
    package let words: UnsafePointer<UInt64>

    @inline(__always)
    package init(words: UnsafePointer<UInt64>) { self.words = words }

    @inline(__always)
    package func tag(_ i: Int) -> PackedJSON.Tag { PackedJSON.Tag(rawValue: words[i] & 0xF) ?? .null }

    @inline(__always)
    package func payload(_ i: Int) -> Int { Int(truncatingIfNeeded: words[i] >> 4) }

    /// The string at `i` as borrowed bytes.
    @inline(__always)
    package func string(_ i: Int) -> RawString {
        RawString(base: UnsafeRawPointer(words + i + 1).assumingMemoryBound(to: UInt8.self), count: payload(i))
    }

    @inline(__always)
    package func size(_ i: Int) -> Int {
        let w = words[i]
        switch w & 0xF {
        case 3, 4: return 2
        case 5: return 1 + (Int(truncatingIfNeeded: w >> 4) + 7) >> 3
        case 6, 7: return 2 + Int(truncatingIfNeeded: words[i + 1])
        default: return 1
        }
    }

    @inline(__always)
    package func field(_ i: Int, packedKey key: UnsafePointer<UInt64>) -> Int? {
        guard words[i] & 0xF == 7 else { return nil }
        let header = key[0]
        let bodyWords = (Int(truncatingIfNeeded: header >> 4) + 7) >> 3
        var n = Int(truncatingIfNeeded: words[i] >> 4)
        var k = i + 2
        while n > 0 {
            let h = words[k]
            let keyWords = 1 + (Int(truncatingIfNeeded: h >> 4) + 7) >> 3
            if h == header {
                var same = true
                var w = 1
                while w <= bodyWords {
                    if words[k + w] != key[w] {
                        same = false
                        break
                    }
                    w += 1
                }
                if same { return k + keyWords }
            }
            k += keyWords
            k += size(k)
            n -= 1
        }
        return nil
    }

    @inline(__always)
    package func element(_ i: Int, _ index: Int) -> Int? {
        guard words[i] & 0xF == 6, index >= 0, index < Int(truncatingIfNeeded: words[i] >> 4) else { return nil }
        var k = i + 2
        for _ in 0..<index { k += size(k) }
        return k
    }

    /// Follows a packed path program (see `FieldPath.program`) from the value at `i`.
    @inline(__always)
    package func follow(_ i: Int, _ program: UnsafeBufferPointer<UInt64>) -> Int? {
        var i = i
        var p = 0
        while p < program.count {
            let w = program[p]
            if w & 0xF == 0xF {
                guard let next = element(i, Int(truncatingIfNeeded: w >> 4)) else { return nil }
                i = next
                p += 1
            } else {
                guard let next = field(i, packedKey: program.baseAddress! + p) else { return nil }
                i = next
                p += 1 + (Int(truncatingIfNeeded: w >> 4) + 7) >> 3
            }
        }
        return i
    }
}

/// The words of a packed value: allocated once (the object and its words in one block, so a
/// packed value costs one allocation), immutable, freed with the last reference.
/// (Not `Sendable` itself, as no `ManagedBuffer` can be: `PackedJSON`, which owns it, is.)
package final class PackedStorage: ManagedBuffer<Int, UInt64> {
    // The header is the word count.

    /// A storage holding a copy of `source`.
    static func make(_ source: UnsafeBufferPointer<UInt64>) -> PackedStorage {
        let storage = unsafeDowncast(
            PackedStorage.create(minimumCapacity: max(source.count, 1)) { _ in source.count }, to: PackedStorage.self)
        if let base = source.baseAddress {
            storage.withUnsafeMutablePointerToElements { $0.initialize(from: base, count: source.count) }
        }
        return storage
    }

    /// The words (valid while this storage is alive: they live inside it).
    @inline(__always)
    package var words: UnsafeMutablePointer<UInt64> { withUnsafeMutablePointerToElements { $0 } }

    /// The number of words.
    @inline(__always)
    package var count: Int { header }
}

/// Writes packed values through a pointer into words reserved, zeroed, beforehand
/// (`PackedBuilder.appendInPlace(words:_:)`): no capacity or uniqueness check per word.
package struct PackedCursor {
    private let base: UnsafeMutablePointer<UInt64>
    private let baseOffset: Int
    private var position: UnsafeMutablePointer<UInt64>
    /// The end of the reserved words (writing past it stops the program, as `ByteCursor`).
    private let end: UnsafeMutablePointer<UInt64>

    init(_ base: UnsafeMutablePointer<UInt64>, offset: Int, capacity: Int) {
        self.base = base
        baseOffset = offset
        position = base
        end = base + capacity
    }

    /// The offset in the builder's words where the next value goes.
    package var offset: Int { baseOffset + (position - base) }

    /// The words a string of `count` UTF-8 bytes takes.
    @inline(__always)
    package static func stringWords(_ count: Int) -> Int { 1 + (count + 7) / 8 }

    @inline(__always)
    package mutating func putWord(_ word: UInt64) {
        precondition(position < end, "PackedCursor: past the reserved words")
        position.pointee = word
        position += 1
    }

    /// A string (`stringWords(bytes.count)` words; the padding of its last word is the zero
    /// the words were reserved with).
    @inline(__always)
    package mutating func putString(_ bytes: UnsafeBufferPointer<UInt8>) {
        putWord(5 | UInt64(bytes.count) << 4)
        guard let source = bytes.baseAddress else { return }
        precondition((bytes.count + 7) / 8 <= end - position, "PackedCursor: past the reserved words")
        ByteCursor.copy(UnsafeMutableRawPointer(position), from: UnsafeRawPointer(source), count: bytes.count)
        position += (bytes.count + 7) / 8
    }

    @inline(__always)
    package mutating func putString(_ text: String) {
        text.withUTF8Bytes { putString($0) }
    }

    @inline(__always)
    package mutating func putString(_ text: StaticString) {
        text.withUTF8Buffer { putString($0) }
    }

    /// An integer (2 words).
    @inline(__always)
    package mutating func putInteger(_ value: Int64) {
        putWord(3)
        putWord(UInt64(bitPattern: value))
    }

    /// A scalar (`scalarWords(value)` words); false, writing nothing, for an array or object.
    @inline(__always)
    package mutating func putScalar(_ value: JSONValue) -> Bool {
        switch value {
        case .null: putWord(0)
        case .bool(let b): putWord(b ? 2 : 1)
        case .int(let i): putInteger(i)
        case .double(let d):
            putWord(4)
            putWord(d.bitPattern)
        case .string(let s): putString(s)
        case .array, .object: return false
        }
        return true
    }

    /// An object of scalars (`flatWords(object)` words, passed as `words`).
    @inline(__always)
    package mutating func putFlat(_ object: JSONObject, words: Int) {
        putWord(7 | UInt64(object.count) << 4)
        putWord(UInt64(words - 2))
        for i in object.keys.indices {
            putString(object.keys[i])
            _ = putScalar(object.values[i])
        }
    }

    /// The words `putFlat(object, words:)` writes; nil when a value is an array or object.
    package static func flatWords(_ object: JSONObject) -> Int? {
        var count = 2
        for i in object.keys.indices {
            guard let value = scalarWords(object.values[i]) else { return nil }
            count += stringWords(object.keys[i].utf8.count) + value
        }
        return count
    }

    /// The words `putScalar(value)` writes; nil for an array or object.
    @inline(__always)
    package static func scalarWords(_ value: JSONValue) -> Int? {
        switch value {
        case .null, .bool: return 1
        case .int, .double: return 2
        case .string(let s): return stringWords(s.utf8.count)
        case .array, .object: return nil
        }
    }
}

/// Builds packed values: append scalars, strings and containers in document order.
package struct PackedBuilder {
    package var words: [UInt64] = []

    package init(capacity: Int = 64) { words.reserveCapacity(capacity) }

    /// Appends what `body` writes through the cursor it is given: exactly `count` words, reserved
    /// and zeroed first (many small values at the cost of one append).
    @inline(__always)
    package mutating func appendInPlace(words count: Int, _ body: (inout PackedCursor) -> Void) {
        let old = words.count
        words.append(contentsOf: repeatElement(0, count: count))
        let written = words.withUnsafeMutableBufferPointer { buffer in
            var cursor = PackedCursor(buffer.baseAddress! + old, offset: old, capacity: count)
            body(&cursor)
            return cursor.offset - old
        }
        precondition(written == count, "PackedBuilder.appendInPlace: wrote \(written) words, not the \(count) reserved")
    }

    package mutating func appendNull() { words.append(0) }
    package mutating func append(_ b: Bool) { words.append(b ? 2 : 1) }
    package mutating func append(_ i: Int64) {
        words.append(3)
        words.append(UInt64(bitPattern: i))
    }
    package mutating func append(_ d: Double) {
        words.append(4)
        words.append(d.bitPattern)
    }

    package mutating func appendString(_ bytes: UnsafeBufferPointer<UInt8>) {
        words.append(5 | UInt64(bytes.count) << 4)
        guard let base = bytes.baseAddress else { return }
        // Whole words straight from the bytes (memory order), then the zero-padded tail.
        let n = bytes.count
        var i = 0
        while i + 8 <= n {
            words.append(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            withUnsafeMutableBytes(of: &tail) { $0.copyMemory(from: UnsafeRawBufferPointer(start: base + i, count: n - i)) }
            words.append(tail)
        }
    }

    package mutating func append(_ s: String) {
        s.withUTF8Bytes { appendString($0) }
    }

    /// A string known at compile time (a key).
    package mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { appendString($0) }
    }

    /// Appends a scalar; false (nothing appended) for an array or object.
    @inline(__always)
    private mutating func appendScalar(_ value: JSONValue) -> Bool {
        guard let count = PackedCursor.scalarWords(value) else { return false }
        appendInPlace(words: count) { _ = $0.putScalar(value) }
        return true
    }

    /// Starts an array or object; returns a mark for `end`.
    package mutating func begin(object: Bool) -> Int {
        words.append(object ? 7 : 6)
        words.append(0)
        return words.count - 2
    }

    /// Ends the container started at `mark` with `count` elements (or fields).
    package mutating func end(_ mark: Int, count: Int) {
        words[mark] |= UInt64(count) << 4
        words[mark + 1] = UInt64(words.count - mark - 2)
    }

    /// Appends an owned value, iteratively (any nesting depth).
    package mutating func append(_ value: JSONValue) {
        if appendScalar(value) { return }
        // The usual EMIT payload, an object of scalars, in one piece without the walk's stack.
        if case .object(let object) = value, let count = PackedCursor.flatWords(object) {
            return appendInPlace(words: count) { $0.putFlat(object, words: count) }
        }
        // Each open container: its mark, and the elements (or fields) still to append.
        var open: [(mark: Int, pending: JSONValue.Children)] = []
        var next: (key: String?, value: JSONValue)? = (nil, value)
        while true {
            if let (key, value) = next {
                if let key { append(key) }
                switch value {
                case .null: appendNull()
                case .bool(let b): append(b)
                case .int(let i): append(i)
                case .double(let d): append(d)
                case .string(let s): append(s)
                case .array, .object:
                    let children = JSONValue.Children(value)
                    let mark = begin(object: children.isObject)
                    words[mark] |= UInt64(children.count) << 4
                    open.append((mark, children))
                }
            }
            guard let top = open.indices.last else { return }
            if let child = open[top].pending.next() {
                next = child
            } else {
                let mark = open.removeLast().mark
                words[mark + 1] = UInt64(words.count - mark - 2)
                next = nil
            }
        }
    }
}

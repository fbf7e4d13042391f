/// A run of Unicode scalars and `_` wildcards to find in UTF-8 text, leftmost first, with the
/// bit-parallel Shift-And algorithm: bit `j` of the state says the last scalars read match the
/// run's first `j + 1` positions, and one shift, or and and per state word per scalar of text
/// advance it. Time is linear in the text times the run's length in 64-bit words, which
/// `LikePattern.maxWildcardRun` bounds.
struct LikeWildcardSearch: Sendable {
    /// Positions in the run (scalars and wildcards).
    let length: Int
    /// State words per text scalar: `(length + 63) / 64`.
    let words: Int
    /// Row `r` of `words` words: the positions a scalar of class `r` may stand at. Class 0 is
    /// any scalar that does not occur in the run (it may stand only where the run has `_`).
    let masks: [UInt64]
    /// The class of each ASCII scalar.
    let asciiClass: [UInt16]
    /// The packed UTF-8 key (see `key`) of each non-ASCII scalar in the run, sorted, and its class.
    let otherKeys: [UInt32]
    let otherClasses: [UInt16]

    /// One element of the run: a scalar's UTF-8 bytes, or nil for `_`.
    init(_ positions: [[UInt8]?]) {
        length = positions.count
        words = (positions.count + 63) / 64
        var classOfKey: [UInt32: Int] = [:]
        var ascii = [UInt16](repeating: 0, count: 128)
        var wildcards = [UInt64](repeating: 0, count: words)
        var masks = [UInt64](repeating: 0, count: words)  // class 0: no literal positions
        for (j, scalar) in positions.enumerated() {
            let bit = UInt64(1) << UInt64(j % 64)
            guard let scalar else {
                wildcards[j / 64] |= bit
                continue
            }
            let k = scalar.withUnsafeBufferPointer { LikeWildcardSearch.key($0, at: 0, length: $0.count) }
            let r: Int
            if let known = classOfKey[k] {
                r = known
            } else {
                r = masks.count / words
                classOfKey[k] = r
                masks.append(contentsOf: repeatElement(0, count: words))
                if scalar.count == 1 { ascii[Int(scalar[0])] = UInt16(r) }
            }
            masks[r * words + j / 64] |= bit
        }
        // '_' accepts every scalar: its positions are in every class.
        for i in masks.indices { masks[i] |= wildcards[i % words] }
        self.masks = masks
        asciiClass = ascii
        let others = classOfKey.filter { $0.key >= 0x8000_0000 }.sorted { $0.key < $1.key }
        otherKeys = others.map(\.key)
        otherClasses = others.map { UInt16($0.value) }
    }

    /// The bytes of the scalar at `i` (of `length` bytes) packed big-endian into the top of a
    /// word: equal keys mean equal bytes, and ASCII keys are below `0x8000_0000`.
    @inline(__always)
    static func key(_ s: UnsafeBufferPointer<UInt8>, at i: Int, length: Int) -> UInt32 {
        var k: UInt32 = 0
        for o in 0..<4 {
            k = k << 8 | (o < length ? UInt32(s[i + o]) : 0)
        }
        return k
    }

    @inline(__always)
    private static func classOf(key: UInt32, keys: UnsafeBufferPointer<UInt32>, classes: UnsafeBufferPointer<UInt16>) -> Int {
        var lo = 0
        var hi = keys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if keys[mid] < key { lo = mid + 1 } else { hi = mid }
        }
        return lo < keys.count && keys[lo] == key ? Int(classes[lo]) : 0
    }

    /// The end offset of the leftmost occurrence starting at or after `from` (a scalar boundary), or nil.
    func firstEnd(in s: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        masks.withUnsafeBufferPointer { m in
            asciiClass.withUnsafeBufferPointer { ascii in
                otherKeys.withUnsafeBufferPointer { keys in
                    otherClasses.withUnsafeBufferPointer { classes in
                        if words == 1 {
                            return firstEndOneWord(s, from: from, m, ascii, keys, classes)
                        }
                        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: words) { state in
                            state.initialize(repeating: 0)
                            return firstEnd(s, from: from, state: state, m, ascii, keys, classes)
                        }
                    }
                }
            }
        }
    }

    /// The class of the scalar at `i`, and the offset after it.
    @inline(__always)
    private static func next(_ s: UnsafeBufferPointer<UInt8>, _ i: Int, _ ascii: UnsafeBufferPointer<UInt16>,
                             _ keys: UnsafeBufferPointer<UInt32>, _ classes: UnsafeBufferPointer<UInt16>) -> (Int, Int) {
        let b = s[i]
        if b < 0x80 { return (Int(ascii[Int(b)]), i + 1) }
        let length = min(LikePattern.scalarLength(b), s.count - i)
        let k = key(s, at: i, length: length)
        return (classOf(key: k, keys: keys, classes: classes), i + length)
    }

    private func firstEndOneWord(_ s: UnsafeBufferPointer<UInt8>, from: Int, _ m: UnsafeBufferPointer<UInt64>,
                                 _ ascii: UnsafeBufferPointer<UInt16>, _ keys: UnsafeBufferPointer<UInt32>,
                                 _ classes: UnsafeBufferPointer<UInt16>) -> Int? {
        let accept = UInt64(1) << UInt64(length - 1)
        var d: UInt64 = 0
        var i = from
        while i < s.count {
            let (c, after) = LikeWildcardSearch.next(s, i, ascii, keys, classes)
            i = after
            d = (d << 1 | 1) & m[c]
            if d & accept != 0 { return i }
        }
        return nil
    }

    private func firstEnd(_ s: UnsafeBufferPointer<UInt8>, from: Int, state: UnsafeMutableBufferPointer<UInt64>,
                          _ m: UnsafeBufferPointer<UInt64>, _ ascii: UnsafeBufferPointer<UInt16>,
                          _ keys: UnsafeBufferPointer<UInt32>, _ classes: UnsafeBufferPointer<UInt16>) -> Int? {
        let accept = UInt64(1) << UInt64((length - 1) % 64)
        let w = words
        var i = from
        while i < s.count {
            let (c, after) = LikeWildcardSearch.next(s, i, ascii, keys, classes)
            i = after
            let row = c * w
            var carry: UInt64 = 1
            for k in 0..<w {
                let x = state[k]
                state[k] = (x << 1 | carry) & m[row + k]
                carry = x >> 63
            }
            if state[w - 1] & accept != 0 { return i }
        }
        return nil
    }
}

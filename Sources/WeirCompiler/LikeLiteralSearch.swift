#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A literal byte string to find in UTF-8 text, leftmost first, in time linear in the text:
/// `memchr` jumps to candidates for the first byte, and Knuth–Morris–Pratt's failure table keeps
/// a partial match instead of rescanning it, so no text byte is compared more than twice.
struct LikeLiteralSearch: Sendable {
    let bytes: [UInt8]
    /// `failure[q]`: the length of the longest proper border of `bytes[0...q]`.
    let failure: [Int32]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        failure = bytes.withUnsafeBufferPointer { LikeLiteralSearch.failureTable($0) }
    }

    static func failureTable(_ p: UnsafeBufferPointer<UInt8>) -> [Int32] {
        [Int32](unsafeUninitializedCapacity: p.count) { table, count in
            fillFailureTable(p, into: table)
            count = p.count
        }
    }

    /// Fills `table[0..<p.count]` with the failure function of `p`.
    static func fillFailureTable(_ p: UnsafeBufferPointer<UInt8>, into table: UnsafeMutableBufferPointer<Int32>) {
        guard !p.isEmpty else { return }
        table[0] = 0
        var k = 0
        var q = 1
        while q < p.count {
            while k > 0 && p[q] != p[k] { k = Int(table[k - 1]) }
            if p[q] == p[k] { k += 1 }
            table[q] = Int32(k)
            q += 1
        }
    }

    /// The end offset of the leftmost occurrence starting at or after `from`, or nil.
    @inline(__always)
    func firstEnd(in s: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        bytes.withUnsafeBufferPointer { p in
            failure.withUnsafeBufferPointer { f in LikeLiteralSearch.firstEnd(of: p, failure: f, in: s, from: from) }
        }
    }

    /// The end offset of the leftmost occurrence of `p` in `s` at or after `from`, or nil.
    static func firstEnd(of p: UnsafeBufferPointer<UInt8>, failure f: UnsafeBufferPointer<Int32>,
                         in s: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        let m = p.count
        let n = s.count
        if m == 0 { return from <= n ? from : nil }
        let first = Int32(p[0])
        var i = from
        var q = 0
        while i < n {
            if q == 0 {
                // Nothing matched yet: no occurrence can start before the next copy of the first byte.
                if n - i < m { return nil }
                guard let found = memchr(s.baseAddress! + i, first, n - i) else { return nil }
                i = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - s.baseAddress!
            }
            let c = s[i]
            while q > 0 && c != p[q] { q = Int(f[q - 1]) }
            if c == p[q] { q += 1 }
            i += 1
            if q == m { return i }
        }
        return nil
    }

    /// Whether `lit` occurs in `s`, without allocating in the common case: `memchr` and `memcmp`
    /// until the bytes compared exceed a few times the text's length, then Knuth–Morris–Pratt
    /// (with a temporary failure table), so a hostile needle cannot make the search quadratic.
    static func contains(_ s: UnsafeBufferPointer<UInt8>, _ lit: UnsafeBufferPointer<UInt8>) -> Bool {
        if lit.isEmpty { return true }
        if s.count < lit.count { return false }
        let first = Int32(lit[0])
        let last = s.count - lit.count
        var budget = 4 * s.count + 64
        var i = 0
        while i <= last {
            guard let found = memchr(s.baseAddress! + i, first, last - i + 1) else { return false }
            let at = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - s.baseAddress!
            if memcmp(s.baseAddress! + at, lit.baseAddress!, lit.count) == 0 { return true }
            i = at + 1
            budget -= lit.count
            if budget < 0 {
                return withUnsafeTemporaryAllocation(of: Int32.self, capacity: lit.count) { table in
                    fillFailureTable(lit, into: table)
                    return firstEnd(of: lit, failure: UnsafeBufferPointer(table), in: s, from: i) != nil
                }
            }
        }
        return false
    }
}

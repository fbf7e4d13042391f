/// A compiled CESQL `LIKE` pattern (`%` any run, `_` one Unicode scalar, `\%` and `\_` literal;
/// a backslash before anything else is itself literal).
///
/// Common shapes compile to the matcher they need, so `type LIKE '%.error'` costs one suffix
/// compare; the general case is a linear two-pointer matcher with one backtrack point, on bytes
/// with `_` stepping over one UTF-8 scalar, and no allocation.
struct LikePattern: Sendable {
    enum Shape: Sendable, Equatable {
        case exact([UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case contains([UInt8])
        case prefixSuffix([UInt8], [UInt8])
        case anything
        case general
    }

    /// One element of the pattern after escape resolution.
    enum Token: Sendable, Equatable {
        case byte(UInt8)
        case one
        case many
    }

    let shape: Shape
    let tokens: [Token]

    init(_ pattern: String) {
        var tokens: [Token] = []
        let bytes = Array(pattern.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\\"), i + 1 < bytes.count,
                bytes[i + 1] == UInt8(ascii: "%") || bytes[i + 1] == UInt8(ascii: "_")
            {
                tokens.append(.byte(bytes[i + 1]))
                i += 2
                continue
            }
            switch b {
            case UInt8(ascii: "%"):
                if tokens.last != .many { tokens.append(.many) }  // '%%' is '%'
            case UInt8(ascii: "_"): tokens.append(.one)
            default: tokens.append(.byte(b))
            }
            i += 1
        }
        self.tokens = tokens
        shape = LikePattern.classify(tokens)
    }

    static func classify(_ tokens: [Token]) -> Shape {
        if tokens.contains(.one) { return .general }
        let manyPositions = tokens.indices.filter { tokens[$0] == .many }
        func literal(_ slice: ArraySlice<Token>) -> [UInt8] {
            slice.map { if case .byte(let b) = $0 { return b } else { return 0 } }
        }
        switch manyPositions.count {
        case 0: return .exact(literal(tokens[...]))
        case 1:
            let p = manyPositions[0]
            if tokens.count == 1 { return .anything }
            if p == tokens.count - 1 { return .prefix(literal(tokens[..<p])) }
            if p == 0 { return .suffix(literal(tokens[1...])) }
            return .prefixSuffix(literal(tokens[..<p]), literal(tokens[(p + 1)...]))
        case 2 where manyPositions == [0, tokens.count - 1]:
            return .contains(literal(tokens[1..<(tokens.count - 1)]))
        default: return .general
        }
    }

    @inline(__always)
    func matches(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        switch shape {
        case .exact(let lit): return s.count == lit.count && startsWith(s, lit, at: 0)
        case .prefix(let lit): return s.count >= lit.count && startsWith(s, lit, at: 0)
        case .suffix(let lit): return s.count >= lit.count && startsWith(s, lit, at: s.count - lit.count)
        case .prefixSuffix(let p, let q):
            return s.count >= p.count + q.count && startsWith(s, p, at: 0) && startsWith(s, q, at: s.count - q.count)
        case .contains(let lit): return lit.withUnsafeBufferPointer { LikePattern.contains(s, $0) }
        case .anything: return true
        case .general: return general(s)
        }
    }

    @inline(__always)
    private func startsWith(_ s: UnsafeBufferPointer<UInt8>, _ lit: [UInt8], at offset: Int) -> Bool {
        lit.withUnsafeBufferPointer { l in
            l.count == 0 || memcmp(s.baseAddress! + offset, l.baseAddress!, l.count) == 0
        }
    }

    /// Whether `lit` occurs in `s` (memchr for the first byte, then a compare).
    static func contains(_ s: UnsafeBufferPointer<UInt8>, _ lit: UnsafeBufferPointer<UInt8>) -> Bool {
        if lit.isEmpty { return true }
        if s.count < lit.count { return false }
        let first = lit[0]
        var i = 0
        let last = s.count - lit.count
        while i <= last {
            guard let found = memchr(s.baseAddress! + i, Int32(first), last - i + 1) else { return false }
            let at = UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - s.baseAddress!
            if memcmp(s.baseAddress! + at, lit.baseAddress!, lit.count) == 0 { return true }
            i = at + 1
        }
        return false
    }

    /// Length of the UTF-8 scalar starting with lead byte `b` (1 for stray bytes).
    @inline(__always)
    private static func scalarLength(_ b: UInt8) -> Int {
        if b < 0xC0 { return 1 }
        if b < 0xE0 { return 2 }
        if b < 0xF0 { return 3 }
        return 4
    }

    /// Wildcard matching with one backtrack point: the last '%' seen. Linear in practice, O(n*m) at worst.
    private func general(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var si = 0
        var pi = 0
        var starP = -1
        var starS = 0
        let n = s.count
        while si < n {
            if pi < tokens.count {
                switch tokens[pi] {
                case .byte(let b) where b == s[si]:
                    si += 1
                    pi += 1
                    continue
                case .one:
                    si = min(n, si + LikePattern.scalarLength(s[si]))
                    pi += 1
                    continue
                case .many:
                    starP = pi
                    starS = si
                    pi += 1
                    continue
                default: break
                }
            }
            guard starP >= 0 else { return false }
            // Let the last '%' swallow one more scalar and retry after it.
            starS = min(n, starS + LikePattern.scalarLength(s[starS]))
            si = starS
            pi = starP + 1
        }
        while pi < tokens.count, tokens[pi] == .many { pi += 1 }
        return pi == tokens.count
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

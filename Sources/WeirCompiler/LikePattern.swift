#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A compiled CESQL `LIKE` pattern (`%` any run, `_` one Unicode scalar, `\%` and `\_` literal;
/// a backslash before anything else is itself literal). Matching is case-sensitive and compares
/// UTF-8 bytes: `'é'` (one scalar) does not match `e` followed by a combining accent.
///
/// Common shapes compile to the matcher they need, so `type LIKE '%.error'` costs one suffix
/// compare. Every other pattern is split at its `%` signs (see `LikeProgram`), which makes every
/// match linear in the text, with no heap allocation. The one limit: a part between two `%` that
/// has `_` between other characters is found by a bit-parallel search whose cost grows with its
/// length, so it may be at most `maxWildcardRun` characters long (a compile error otherwise).
struct LikePattern: Sendable {
    /// Longest part between two `%` that has `_` between other characters, in characters
    /// (Unicode scalars and `_`), not counting the `_` at its ends.
    static let maxWildcardRun = 4096

    /// The pattern has a part longer than `maxWildcardRun` that needs the bit-parallel search.
    struct TooComplex: Error, Equatable {
        let limit: Int
    }

    enum Shape: Sendable {
        case exact([UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case contains(LikeLiteralSearch)
        case prefixSuffix([UInt8], [UInt8])
        case anything
        case general(LikeProgram)
    }

    /// One element of the pattern after escape resolution.
    enum Token: Sendable, Equatable {
        case byte(UInt8)
        case one
        case many
    }

    let shape: Shape

    init(_ pattern: String) throws(TooComplex) {
        let tokens = LikePattern.tokens(pattern)
        shape = try LikePattern.classify(tokens)
    }

    static func tokens(_ pattern: String) -> [Token] {
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
        return tokens
    }

    static func classify(_ tokens: [Token]) throws(TooComplex) -> Shape {
        if tokens.contains(.one) { return .general(try LikeProgram(tokens)) }
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
            return .contains(LikeLiteralSearch(literal(tokens[1..<(tokens.count - 1)])))
        default: return .general(try LikeProgram(tokens))
        }
    }

    @inline(__always)
    func matches(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        switch shape {
        case .exact(let lit): return s.count == lit.count && LikePattern.startsWith(s, lit, at: 0)
        case .prefix(let lit): return s.count >= lit.count && LikePattern.startsWith(s, lit, at: 0)
        case .suffix(let lit): return s.count >= lit.count && LikePattern.startsWith(s, lit, at: s.count - lit.count)
        case .prefixSuffix(let p, let q):
            return s.count >= p.count + q.count && LikePattern.startsWith(s, p, at: 0)
                && LikePattern.startsWith(s, q, at: s.count - q.count)
        case .contains(let search): return search.firstEnd(in: s, from: 0) != nil
        case .anything: return true
        case .general(let program): return program.matches(s)
        }
    }

    /// Whether `lit` is in `s` at byte `offset` (the caller checked that it fits).
    @inline(__always)
    static func startsWith(_ s: UnsafeBufferPointer<UInt8>, _ lit: [UInt8], at offset: Int) -> Bool {
        lit.withUnsafeBufferPointer { l in
            l.count == 0 || memcmp(s.baseAddress! + offset, l.baseAddress!, l.count) == 0
        }
    }

    /// Whether `lit` occurs in `s`, in time linear in `s` (see `LikeLiteralSearch.contains`).
    static func contains(_ s: UnsafeBufferPointer<UInt8>, _ lit: UnsafeBufferPointer<UInt8>) -> Bool {
        LikeLiteralSearch.contains(s, lit)
    }

    /// Length of the UTF-8 scalar starting with lead byte `b` (1 for stray bytes).
    @inline(__always)
    static func scalarLength(_ b: UInt8) -> Int {
        if b < 0xC0 { return 1 }
        if b < 0xE0 { return 2 }
        if b < 0xF0 { return 3 }
        return 4
    }
}

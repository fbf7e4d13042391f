#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A general LIKE pattern, split at its `%` signs into parts that each match a fixed number of
/// scalars: the first part is anchored at the start of the text, the last at its end, and each
/// part between is found leftmost after the one before. Taking the leftmost (so earliest-ending)
/// occurrence of each middle part is never worse than a later one, since a `%` on either side
/// absorbs whatever it leaves, so no backtracking is needed: every text byte is read a bounded
/// number of times per part it is searched for, and each search resumes where the last ended.
struct LikeProgram: Sendable {
    /// The part before the first `%` (possibly empty), anchored at the start.
    let head: LikeSegment
    /// The parts between two `%`, in order.
    let middle: [LikeSegmentSearch]
    /// The part after the last `%` (possibly empty), anchored at the end; nil when the pattern
    /// has no `%`, and `head` must then end where the text does.
    let tail: LikeSegment?

    init(_ tokens: [LikePattern.Token]) throws(LikePattern.TooComplex) {
        let parts = tokens.split(separator: .many, omittingEmptySubsequences: false).map { Array($0) }
        head = LikeSegment(parts[0])
        if parts.count == 1 {
            middle = []
            tail = nil
            return
        }
        var middle: [LikeSegmentSearch] = []
        for part in parts[1..<(parts.count - 1)] {
            middle.append(try LikeSegmentSearch(part))
        }
        self.middle = middle
        tail = LikeSegment(parts[parts.count - 1])
    }

    func matches(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        guard var cursor = head.end(in: s, at: 0) else { return false }
        guard let tail else { return cursor == s.count }
        for part in middle {
            guard let end = part.firstEnd(in: s, from: cursor) else { return false }
            cursor = end
        }
        return tail.matchesSuffix(of: s, from: cursor)
    }

    /// The offset `count` scalars after `i`, or nil if the text ends first.
    @inline(__always)
    static func skip(_ count: Int, in s: UnsafeBufferPointer<UInt8>, from i: Int) -> Int? {
        var i = i
        for _ in 0..<count {
            guard i < s.count else { return nil }
            i = min(s.count, i + LikePattern.scalarLength(s[i]))
        }
        return i
    }
}

/// A part of a LIKE pattern without `%`: literal bytes and runs of `_`.
struct LikeSegment: Sendable {
    enum Piece: Sendable {
        case literal([UInt8])
        /// This many `_`: as many scalars, whatever they are.
        case skip(Int)
    }

    let pieces: [Piece]
    /// Scalars the part matches.
    let scalarCount: Int

    init(_ tokens: [LikePattern.Token]) {
        var pieces: [Piece] = []
        var run: [UInt8] = []
        var skips = 0
        var scalars = 0
        for token in tokens {
            switch token {
            case .byte(let b):
                if skips > 0 { pieces.append(.skip(skips)) }
                skips = 0
                run.append(b)
                if b & 0xC0 != 0x80 { scalars += 1 }
            case .one:
                if !run.isEmpty { pieces.append(.literal(run)) }
                run = []
                skips += 1
                scalars += 1
            case .many: preconditionFailure("a part has no '%'")
            }
        }
        if skips > 0 { pieces.append(.skip(skips)) }
        if !run.isEmpty { pieces.append(.literal(run)) }
        self.pieces = pieces
        scalarCount = scalars
    }

    /// Where the part ends if it matches at `start`, or nil.
    func end(in s: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        var i = start
        for piece in pieces {
            switch piece {
            case .literal(let run):
                guard s.count - i >= run.count, LikePattern.startsWith(s, run, at: i) else { return nil }
                i += run.count
            case .skip(let n):
                guard let after = LikeProgram.skip(n, in: s, from: i) else { return nil }
                i = after
            }
        }
        return i
    }

    /// Whether the part matches the end of `s`, starting at or after `from`.
    func matchesSuffix(of s: UnsafeBufferPointer<UInt8>, from: Int) -> Bool {
        // The part matches exactly `scalarCount` scalars: step back over that many.
        var start = s.count
        for _ in 0..<scalarCount {
            guard start > from else { return false }
            start -= 1
            while start > from && s[start] & 0xC0 == 0x80 { start -= 1 }
        }
        return end(in: s, at: start) == s.count
    }
}

/// A part of a LIKE pattern between two `%`, found leftmost: the `_` at its ends are skips around
/// a core that starts and ends with a literal, found by `memchr` and Knuth–Morris–Pratt when it
/// has no `_`, and by bit-parallel Shift-And over scalars when it has.
struct LikeSegmentSearch: Sendable {
    enum Core: Sendable {
        case none
        case literal(LikeLiteralSearch)
        case wildcard(LikeWildcardSearch)
    }

    let leading: Int
    let core: Core
    let trailing: Int

    init(_ tokens: [LikePattern.Token]) throws(LikePattern.TooComplex) {
        let first = tokens.firstIndex { $0 != .one } ?? tokens.count
        let last = (tokens.lastIndex { $0 != .one } ?? -1) + 1
        leading = first
        guard first < last else {
            core = .none
            trailing = 0
            return
        }
        trailing = tokens.count - last
        let inner = tokens[first..<last]
        if !inner.contains(.one) {
            core = .literal(LikeLiteralSearch(inner.map { if case .byte(let b) = $0 { b } else { 0 } }))
            return
        }
        // One position per scalar or '_': a lead byte starts a scalar, continuation bytes extend it.
        var positions: [[UInt8]?] = []
        for token in inner {
            switch token {
            case .byte(let b) where b & 0xC0 == 0x80 && positions.last != nil && positions.last! != nil:
                positions[positions.count - 1]!.append(b)
            case .byte(let b): positions.append([b])
            default: positions.append(nil)
            }
        }
        guard positions.count <= LikePattern.maxWildcardRun else {
            throw LikePattern.TooComplex(limit: LikePattern.maxWildcardRun)
        }
        core = .wildcard(LikeWildcardSearch(positions))
    }

    /// The end offset of the leftmost match starting at or after `from`, or nil.
    @inline(__always)
    func firstEnd(in s: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard var i = LikeProgram.skip(leading, in: s, from: from) else { return nil }
        switch core {
        case .none: break
        case .literal(let search):
            guard let end = search.firstEnd(in: s, from: i) else { return nil }
            i = end
        case .wildcard(let search):
            guard let end = search.firstEnd(in: s, from: i) else { return nil }
            i = end
        }
        return LikeProgram.skip(trailing, in: s, from: i)
    }
}

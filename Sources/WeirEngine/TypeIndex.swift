#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeirSyntax

/// Which declarations listen to an event type: an exact-type table, the `'prefix.*'` patterns
/// and the `'*'` listeners, merged in declaration order. The answer for each type seen is
/// memoised, so an event no declaration listens to costs one dictionary lookup, whatever the
/// number of declarations.
struct TypeIndex: Sendable {
    private let patterns: [[EventTypePattern]]
    private var memo: [String: [Int]] = [:]
    /// Beyond this many distinct types, answers are computed, not memoised (a hostile stream
    /// of unique types must not grow memory without bound).
    private static let memoLimit = 4096

    /// Per declaration, a PATTERN's step types (empty for the others): each answer also says
    /// which steps of each listening pattern the type can bind, as bits (`listenerMask`).
    private let steps: [[EventTypePattern]]

    init(_ patterns: [[EventTypePattern]], steps: [[EventTypePattern]] = []) {
        self.patterns = patterns
        self.steps = steps
    }

    /// The steps of declaration `d` an event of `type` can bind, as bits (step `i` is bit `i`).
    private func stepMask(_ d: Int, _ type: String) -> UInt64 {
        guard d < steps.count else { return 0 }
        var mask: UInt64 = 0
        for (i, step) in steps[d].enumerated() where i < 64 && step.matches(type) { mask |= 1 << UInt64(i) }
        return mask
    }

    /// The first types seen (most streams carry a handful), their bytes one after another in
    /// `recentBytes` and found by length and bytes before any `String` is built or hashed; the
    /// answers (listeners and their step masks) one after another in `answers`/`answerMasks`.
    /// Everything is flat, so that a look-up and reading its answer retain no array.
    private var recentBytes: [UInt8] = []
    private var recentTypes: [(start: Int, count: Int)] = []
    private var recentAnswers: [(start: Int, count: Int)] = []
    private var answers: [Int] = []
    private var answerMasks: [UInt64] = []
    /// Where the last look-up's answer is in `answers` (for a type past the recent ones, after
    /// theirs, overwritten by the next such look-up).
    private var current = 0
    private static let recentLimit = 16

    /// The declarations listening to the type spelt by `bytes`, in declaration order.
    mutating func listeners(ofTypeBytes bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        let count = lookUp(typeBytes: bytes)
        return Array(answers[current..<current + count])
    }

    /// How many declarations listen to the type spelt by `bytes`; `listener(i)` gives them, in
    /// declaration order, until the next look-up.
    @inline(__always)
    mutating func lookUp(typeBytes bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if let i = recentIndex(of: bytes) {
            current = recentAnswers[i].start
            return recentAnswers[i].count
        }
        return answer(newType: bytes)
    }

    /// Where `recentTypes` holds the type spelt by `bytes`, if it does.
    @inline(__always)
    private func recentIndex(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        recentBytes.withUnsafeBufferPointer { all in
            for i in recentTypes.indices where recentTypes[i].count == bytes.count {
                if bytes.count == 0 || memcmp(all.baseAddress! + recentTypes[i].start, bytes.baseAddress!, bytes.count) == 0 { return i }
            }
            return nil
        }
    }

    /// The answer for a type not among `recentTypes` (how many listen), remembered there while
    /// there is room.
    private mutating func answer(newType bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let type = String(decoding: bytes, as: UTF8.self)
        let found = listeners(of: type)
        let kept = recentAnswers.last.map { $0.start + $0.count } ?? 0
        answers.removeSubrange(kept...)
        answerMasks.removeSubrange(kept...)
        current = kept
        answers.append(contentsOf: found)
        answerMasks.append(contentsOf: found.map { stepMask($0, type) })
        if recentTypes.count < TypeIndex.recentLimit {
            recentTypes.append((recentBytes.count, bytes.count))
            recentBytes.append(contentsOf: bytes)
            recentAnswers.append((kept, found.count))
        }
        return found.count
    }

    /// The `i`th listener found by the last `lookUp(typeBytes:)`.
    @inline(__always)
    func listener(_ i: Int) -> Int { answers[current + i] }

    /// For the `i`th listener found by the last `lookUp(typeBytes:)`, a PATTERN, the steps the
    /// type can bind (bit `i` for step `i`).
    @inline(__always)
    func listenerMask(_ i: Int) -> UInt64 { answerMasks[current + i] }

    /// The declarations listening to `type`, in declaration order.
    mutating func listeners(of type: String) -> [Int] {
        if let known = memo[type] { return known }
        var found: [Int] = []
        for (index, declaration) in patterns.enumerated() where declaration.contains(where: { $0.matches(type) }) {
            found.append(index)
        }
        if memo.count < TypeIndex.memoLimit { memo[type] = found }
        return found
    }
}

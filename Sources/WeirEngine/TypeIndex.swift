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

    /// The answer of the last look-up: an entry of `recentListeners`, or (-1) `lastListeners`.
    private var lastListeners: [Int] = []
    private var lastMasks: [UInt64] = []
    private var lastRecent = -1
    private var recentMasks: [[UInt64]] = []
    /// The first types seen (most streams carry a handful), with their answers, searched by
    /// length and bytes before any `String` is built or hashed.
    private var recentTypes: [[UInt8]] = []
    private var recentListeners: [[Int]] = []
    private static let recentLimit = 16

    /// The declarations listening to the type spelt by `bytes`, in declaration order.
    mutating func listeners(ofTypeBytes bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        if let i = recentIndex(of: bytes) {
            lastRecent = i
            return recentListeners[i]
        }
        return answer(newType: bytes)
    }

    /// How many declarations listen to the type spelt by `bytes`; `listener(i)` gives them, in
    /// declaration order, until the next look-up (reading them there retains no array).
    @inline(__always)
    mutating func lookUp(typeBytes bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if let i = recentIndex(of: bytes) {
            lastRecent = i
            return recentListeners[i].count
        }
        return answer(newType: bytes).count
    }

    /// Where `recentTypes` holds the type spelt by `bytes`, if it does.
    @inline(__always)
    private func recentIndex(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        recentTypes.firstIndex { type in
            type.withUnsafeBufferPointer {
                $0.count == bytes.count && (bytes.count == 0 || memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            }
        }
    }

    /// The answer for a type not among `recentTypes`, remembered there while there is room.
    private mutating func answer(newType bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        let type = String(decoding: bytes, as: UTF8.self)
        let answer = listeners(of: type)
        let masks = answer.map { stepMask($0, type) }
        if recentTypes.count < TypeIndex.recentLimit {
            recentTypes.append(Array(bytes))
            recentListeners.append(answer)
            recentMasks.append(masks)
            lastRecent = recentTypes.count - 1
        } else {
            lastListeners = answer
            lastMasks = masks
            lastRecent = -1
        }
        return answer
    }

    /// The `i`th listener found by the last `lookUp(typeBytes:)`.
    @inline(__always)
    func listener(_ i: Int) -> Int { lastRecent >= 0 ? recentListeners[lastRecent][i] : lastListeners[i] }

    /// For the `i`th listener found by the last `lookUp(typeBytes:)`, a PATTERN, the steps the
    /// type can bind (bit `i` for step `i`).
    @inline(__always)
    func listenerMask(_ i: Int) -> UInt64 { lastRecent >= 0 ? recentMasks[lastRecent][i] : lastMasks[i] }

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

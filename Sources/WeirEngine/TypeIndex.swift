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

    init(_ patterns: [[EventTypePattern]]) {
        self.patterns = patterns
    }

    /// The answer of the last look-up: an entry of `recentListeners`, or (-1) `lastListeners`.
    private var lastListeners: [Int] = []
    private var lastRecent = -1
    /// The first types seen (most streams carry a handful), with their answers, searched by
    /// length and bytes before any `String` is built or hashed.
    private var recentTypes: [[UInt8]] = []
    private var recentListeners: [[Int]] = []
    private static let recentLimit = 16

    /// The declarations listening to the type spelt by `bytes`, in declaration order.
    mutating func listeners(ofTypeBytes bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        for i in recentTypes.indices {
            let known = recentTypes[i].withUnsafeBufferPointer { type in
                type.count == bytes.count && (bytes.count == 0 || memcmp(type.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            }
            if known {
                lastRecent = i
                return recentListeners[i]
            }
        }
        let answer = listeners(of: String(decoding: bytes, as: UTF8.self))
        if recentTypes.count < TypeIndex.recentLimit {
            recentTypes.append(Array(bytes))
            recentListeners.append(answer)
            lastRecent = recentTypes.count - 1
        } else {
            lastListeners = answer
            lastRecent = -1
        }
        return answer
    }

    /// How many declarations listen to the type spelt by `bytes`; `listener(i)` gives them, in
    /// declaration order, until the next look-up (reading them there retains no array).
    @inline(__always)
    mutating func lookUp(typeBytes bytes: UnsafeBufferPointer<UInt8>) -> Int {
        for i in recentTypes.indices {
            let known = recentTypes[i].withUnsafeBufferPointer { type in
                type.count == bytes.count && (bytes.count == 0 || memcmp(type.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            }
            if known {
                lastRecent = i
                return recentListeners[i].count
            }
        }
        return listeners(ofTypeBytes: bytes).count
    }

    /// The `i`th listener found by the last `lookUp(typeBytes:)`.
    @inline(__always)
    func listener(_ i: Int) -> Int { lastRecent >= 0 ? recentListeners[lastRecent][i] : lastListeners[i] }

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

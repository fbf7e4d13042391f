import WeirTestSupport
import Testing
import WeirSyntax
@testable import WeirEngine

/// `TypeIndex`: which declarations listen to a type, in declaration order, for exact,
/// `'prefix.*'` and `'*'` patterns; the memo and the last-type cache never change an answer.
@Suite struct TypeIndexTests {
    static func pattern(_ text: String) -> EventTypePattern {
        let range = SourceRange(at: 0)
        if text == "*" { return EventTypePattern(.any, range) }
        if text.hasSuffix(".*") { return EventTypePattern(.prefix(String(text.dropLast())), range) }
        return EventTypePattern(.exact(text), range)
    }

    static func index(_ declarations: [[String]]) -> TypeIndex {
        TypeIndex(declarations.map { $0.map(pattern) })
    }

    /// The answer by definition: every declaration with a pattern that matches, in order.
    static func expected(_ declarations: [[String]], _ type: String) -> [Int] {
        declarations.indices.filter { declarations[$0].contains { pattern($0).matches(type) } }
    }

    static func listenersByBytes(_ index: inout TypeIndex, _ type: String) -> [Int] {
        var type = type
        return type.withUTF8 { index.listeners(ofTypeBytes: $0) }
    }

    @Test func exactPrefixAndAnyInDeclarationOrder() {
        let declarations = [["order.*"], ["order.created"], ["*"], ["payment.done", "order.created"], ["order.created.*"], []]
        var index = Self.index(declarations)
        #expect(index.listeners(of: "order.created") == [0, 1, 2, 3])
        #expect(index.listeners(of: "order") == [2])              // a prefix needs one more segment
        #expect(index.listeners(of: "order.") == [2])             // ... and a non-empty one
        #expect(index.listeners(of: "order.created.v2") == [0, 2, 4])
        #expect(index.listeners(of: "payment.done") == [2, 3])
        #expect(index.listeners(of: "orders.created") == [2])
        #expect(index.listeners(of: "") == [2])
        var none = Self.index([["a"], ["b.*"]])
        #expect(none.listeners(of: "c").isEmpty)
        #expect(Self.listenersByBytes(&none, "b.x") == [1])
        #expect(Self.listenersByBytes(&none, "") == [])
    }

    @Test func aDeclarationListedOnceWhateverHowManyPatternsMatch() {
        var index = Self.index([["a.*", "a.b", "*"], ["a.b"]])
        #expect(index.listeners(of: "a.b") == [0, 1])
        #expect(Self.listenersByBytes(&index, "a.b") == [0, 1])
    }

    /// The last-type cache: runs of one type, then another of the same length, then the first.
    @Test func theLastTypeCacheComparesBytes() {
        let declarations = [["ab"], ["ac"], ["a.*"]]
        var index = Self.index(declarations)
        for type in ["ab", "ab", "ac", "ac", "ab", "a.x", "a.y", "a.x", "", "", "ab"] {
            #expect(Self.listenersByBytes(&index, type) == Self.expected(declarations, type), "\(type)")
        }
    }

    /// More distinct types than the memo holds (4096): answers stay right for the types
    /// memoised early, for those seen after the memo filled, and on a second pass, through
    /// both entry points.
    @Test func beyondTheMemoLimitAnswersStayRight() {
        var random = SplitMix64(seed: 4096)
        let segments = ["order", "payment", "user", "x", "created", "done", "v1", "v2"]
        func randomType() -> String {
            (0..<(1 + random.next(below: 3))).map { _ in segments[random.next(below: segments.count)] }.joined(separator: ".")
        }
        var declarations: [[String]] = []
        for _ in 0..<40 {
            declarations.append((0..<(1 + random.next(below: 3))).map { _ in
                switch random.next(below: 10) {
                case 0: "*"
                case 1, 2, 3: randomType() + ".*"
                default: randomType()
                }
            })
        }
        // 10,000 distinct types: some listened to, most unique.
        var types: [String] = []
        for i in 0..<10_000 { types.append(i % 3 == 0 ? randomType() : "\(randomType()).\(i)") }
        var index = Self.index(declarations)
        for pass in 0..<2 {
            for (i, type) in types.enumerated() {
                let got = (i + pass) % 2 == 0 ? index.listeners(of: type) : Self.listenersByBytes(&index, type)
                if got != Self.expected(declarations, type) {
                    Issue.record("pass \(pass), type \(type): \(got), expected \(Self.expected(declarations, type))")
                    return
                }
            }
        }
    }
}

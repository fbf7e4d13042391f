import Testing
import Weir
@testable import WeirCompiler
import WeirTestSupport

/// LIKE matches in time linear in the text (issue 9, item 4): the pattern is split at `%` and
/// each part is found leftmost, with Knuth–Morris–Pratt for literal parts and bit-parallel
/// Shift-And for parts with `_`. These tests check results only: against a reference matcher on
/// random patterns, and on the million-character texts that took seconds before.
@Suite struct LikeMatcherTests {
    // MARK: Reference

    /// One element of a pattern, decoded independently of `LikePattern`.
    enum RefToken: Equatable {
        case scalar(Unicode.Scalar)
        case one
        case many
    }

    /// CESQL LIKE's escapes as Weir reads them: `\%` and `\_` are literal, any other backslash is itself.
    static func referenceTokens(_ pattern: String) -> [RefToken] {
        let scalars = Array(pattern.unicodeScalars)
        var tokens: [RefToken] = []
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c == "\\", i + 1 < scalars.count, scalars[i + 1] == "%" || scalars[i + 1] == "_" {
                tokens.append(.scalar(scalars[i + 1]))
                i += 2
                continue
            }
            tokens.append(c == "%" ? .many : c == "_" ? .one : .scalar(c))
            i += 1
        }
        return tokens
    }

    /// The obvious dynamic program over Unicode scalars: `m[i][j]` says the first `i` tokens
    /// match the first `j` scalars.
    static func reference(_ text: String, _ pattern: String) -> Bool {
        let p = referenceTokens(pattern)
        let s = Array(text.unicodeScalars)
        var row = [Bool](repeating: false, count: s.count + 1)
        row[0] = true
        for token in p {
            var next = [Bool](repeating: false, count: s.count + 1)
            for j in 0...s.count {
                switch token {
                case .many: next[j] = row[j] || (j > 0 && next[j - 1])
                case .one: next[j] = j > 0 && row[j - 1]
                case .scalar(let c): next[j] = j > 0 && row[j - 1] && s[j - 1] == c
                }
            }
            row = next
        }
        return row[s.count]
    }

    static func like(_ text: String, _ pattern: String) throws -> Bool {
        let compiled = try LikePattern(pattern)
        var copy = text
        return copy.withUTF8 { compiled.matches($0) }
    }


    static func random(_ pieces: [String], count: Int, using g: inout SplitMix64) -> String {
        (0..<count).map { _ in pieces.randomElement(using: &g)! }.joined()
    }

    // MARK: Differential

    /// Short random patterns and texts over one-, two-, three- and four-byte scalars, a combining
    /// accent, and the characters that mean something in a pattern, escaped and not.
    @Test func agreesWithTheReferenceOnShortRandomInputs() throws {
        var g = SplitMix64(seed: 0x5EED_0001)
        let textPieces = ["a", "b", "é", "e\u{301}", "€", "😀", "%", "_", "\\"]
        let patternPieces = ["a", "b", "é", "€", "😀", "%", "%", "_", "_", "\\%", "\\_", "\\", "\\\\", "\u{301}"]
        var matched = 0
        for _ in 0..<40_000 {
            let text = Self.random(textPieces, count: Int.random(in: 0...9, using: &g), using: &g)
            let pattern = Self.random(patternPieces, count: Int.random(in: 0...7, using: &g), using: &g)
            let expected = Self.reference(text, pattern)
            #expect(try Self.like(text, pattern) == expected, "\(text.debugDescription) LIKE \(pattern.debugDescription)")
            if expected { matched += 1 }
        }
        // The generator produces both outcomes, so the comparison means something.
        #expect(matched > 1_000)
    }

    /// Longer texts over a two-letter alphabet and parts of up to 150 positions, so the Shift-And
    /// state spans several words and parts overlap, with skips at the ends of middle parts.
    @Test func agreesWithTheReferenceOnLongParts() throws {
        var g = SplitMix64(seed: 0x5EED_0002)
        var matched = 0
        for _ in 0..<600 {
            let period = Int.random(in: 1...5, using: &g)
            let unit = Self.random(["a", "b", "é"], count: period, using: &g)
            // Periodic text with a few mutations: long self-overlapping partial matches.
            var scalars = Array(String(repeating: unit, count: 240 / period).unicodeScalars)
            for _ in 0..<Int.random(in: 0...3, using: &g) {
                scalars[Int.random(in: 0..<scalars.count, using: &g)] = ["a", "b", "c"].randomElement(using: &g)!
            }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars)
            // A pattern cut from the text itself, with some positions turned into '_'.
            func part() -> String {
                let length = Int.random(in: 1...150, using: &g)
                let start = Int.random(in: 0...(scalars.count - length), using: &g)
                return scalars[start..<(start + length)].map { Int.random(in: 0..<4, using: &g) == 0 ? "_" : String($0) }.joined()
            }
            let shapes = [
                "%" + part() + "%", "%" + part() + "%" + part() + "%", "%" + part(), part() + "%",
                part() + "%" + part(), "%__" + part() + "___%", "%" + part() + "%" + part(),
            ]
            let pattern = shapes.randomElement(using: &g)!
            let expected = Self.reference(text, pattern)
            #expect(try Self.like(text, pattern) == expected, "\(text) LIKE \(pattern)")
            if expected { matched += 1 }
        }
        #expect(matched > 60)
    }

    // MARK: Edge cases

    @Test func partsAnchoredAtBothEnds() throws {
        #expect(try Self.like("abc", "a_c"))
        #expect(try !Self.like("abcd", "a_c"))
        #expect(try Self.like("abc", "___"))
        #expect(try !Self.like("ab", "___"))
        #expect(try !Self.like("abc", "ab%_bc"))
        #expect(try Self.like("abxbc", "ab%_bc"))
        #expect(try Self.like("Zoë", "Zo_"))
        #expect(try Self.like("😀x😀", "_x_"))
        #expect(try !Self.like("e\u{301}", "_"))
        #expect(try Self.like("e\u{301}", "__"))
        #expect(try Self.like("", "%"))
        #expect(try !Self.like("", "_%"))
        #expect(try Self.like("a%b", "a\\%b"))
        #expect(try !Self.like("axb", "a\\%b"))
        #expect(try Self.like("a\\b", "a\\b"))
        #expect(try Self.like("a\\\\b", "a\\\\b"))
    }

    // MARK: Million-character texts (the issue's patterns)

    static let n = 1_000_000

    static func evaluate(_ expression: String, _ text: String) throws -> Bool {
        let e = try CompiledExpression(expression)
        let result = e.evaluate(try Event(id: "1", source: "/s", type: "t", data: ["s": .string(text)]))
        #expect(result.error == nil)
        return result.value == .bool(true)
    }

    @Test func longWildcardRunBeforeALiteral() throws {
        let pattern = "'%" + String(repeating: "_", count: 3000) + "c%'"
        let noC = String(repeating: "a", count: Self.n)
        #expect(try !Self.evaluate("data.s LIKE " + pattern, noC))
        // A 'c' with 3000 scalars before it matches; one with 2999 does not.
        let late = String(repeating: "a", count: 3000) + "c" + String(repeating: "a", count: Self.n - 3001)
        let early = String(repeating: "é", count: 2999) + "c" + String(repeating: "a", count: Self.n - 3000)
        #expect(try Self.evaluate("data.s LIKE " + pattern, late))
        #expect(try !Self.evaluate("data.s LIKE " + pattern, early))
    }

    @Test func literalsAroundAWildcardRun() throws {
        let pattern = "'%a" + String(repeating: "_", count: 800) + "c%'"
        #expect(try !Self.evaluate("data.s LIKE " + pattern, String(repeating: "a", count: Self.n)))
        let text = String(repeating: "a", count: Self.n - 1) + "c"
        #expect(try Self.evaluate("data.s LIKE " + pattern, text))
        let tooClose = String(repeating: "b", count: Self.n - 800) + String(repeating: "a", count: 799) + "c"
        #expect(try !Self.evaluate("data.s LIKE " + pattern, tooClose))
    }

    @Test func alternatingWildcardsAndLiterals() throws {
        let core = String(repeating: "_a", count: 1500) + "c"
        let pattern = "'%" + core + "%'"
        #expect(try !Self.evaluate("data.s LIKE " + pattern, String(repeating: "a", count: Self.n)))
        let text = String(repeating: "a", count: Self.n - 1) + "c"
        #expect(try Self.evaluate("data.s LIKE " + pattern, text))
        // A 'b' three scalars before the only 'c': the pattern has an 'a' there (its 'a's are
        // an odd number of positions before its 'c'), so no alignment matches.
        let broken = String(repeating: "a", count: Self.n - 4) + "baac"
        #expect(try !Self.evaluate("data.s LIKE " + pattern, broken))
        #expect(try Self.evaluate("data.s LIKE '%" + String(repeating: "_a", count: 1500) + "%'", broken))
    }

    @Test func adversarialLiteralsAndManyParts() throws {
        let as_ = String(repeating: "a", count: Self.n)
        // A long literal that almost matches everywhere (memchr and memcmp alone are quadratic).
        #expect(try !Self.evaluate("data.s LIKE '%" + String(repeating: "a", count: 5000) + "b%'", as_))
        #expect(try !Self.evaluate("CONTAINS(data.s, '" + String(repeating: "a", count: 5000) + "b')", as_))
        #expect(try Self.evaluate("CONTAINS(data.s, '" + String(repeating: "a", count: 5000) + "')", as_))
        // Many parts, each found right after the one before.
        let parts = String(repeating: "a_a%", count: 2000)
        #expect(try Self.evaluate("data.s LIKE '%" + parts + "'", as_))
        #expect(try !Self.evaluate("data.s LIKE '%" + parts + "b'", as_))
        // Head and tail parts of any length are compared in place.
        let tail = String(repeating: "_a", count: 20_000)
        #expect(try Self.evaluate("data.s LIKE '%" + tail + "'", as_))
        #expect(try !Self.evaluate("data.s LIKE '%" + tail + "'", as_ + "b"))
        #expect(try Self.evaluate("data.s LIKE '" + tail + "%'", as_))
        // The longest part with inner wildcards that is allowed, on a text where it fails at
        // every offset only at its last position.
        let widest = String(repeating: "_a", count: LikePattern.maxWildcardRun / 2 - 1) + "ab"
        #expect(try !Self.evaluate("data.s LIKE '%" + widest + "%'", as_))
        #expect(try Self.evaluate("data.s LIKE '%" + widest + "%'", as_ + "b"))
    }

    /// The ingest path reads strings in place from the parsed document; the matcher is the same.
    @Test func millionCharactersOnTheIngestPath() throws {
        let e = try CompiledExpression("data.s LIKE '%" + String(repeating: "_é", count: 1500) + "c%'")
        func line(_ s: String) -> String { #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"s":""# + s + #""}}"# }
        let miss = String(repeating: "é", count: Self.n)
        let hit = String(repeating: "é", count: Self.n - 1) + "c"
        let limits = try IngestLimits(maxLineBytes: 4 * Self.n)
        var results: [Bool] = []
        let reader = EventReader(bytes: Array([line(miss), line(hit)].joined(separator: "\n").utf8), limits: limits)
        _ = reader.forEach({ document, _ in results.append(e.evaluate(document).value == .bool(true)) },
                           rejected: { Issue.record("rejected: \($0)") })
        #expect(results == [false, true])
    }

    // MARK: Limit

    @Test func overlongWildcardPartIsACompileError() throws {
        let limit = LikePattern.maxWildcardRun
        let at = "a" + String(repeating: "_", count: limit - 2) + "b"  // exactly `limit` positions
        #expect(throws: Never.self) { try CompiledExpression("data.s LIKE '%" + at + "%'") }
        let tooLong = "a" + String(repeating: "_", count: limit - 1) + "b"
        do {
            _ = try CompiledExpression("data.s LIKE '%" + tooLong + "%'")
            Issue.record("compiled")
        } catch {
            #expect(error.diagnostics.map(\.code) == [.limit])
            #expect(error.description.contains("error: a part of a 'LIKE' pattern between two '%' that has '_' between other characters may be at most \(limit) characters long"))
        }
        // Wildcards at the ends of a part, and parts without inner wildcards, have no limit.
        #expect(throws: Never.self) { try CompiledExpression("data.s LIKE '%" + String(repeating: "_", count: 10_000) + "c" + String(repeating: "_", count: 10_000) + "%'") }
        #expect(throws: Never.self) { try CompiledExpression("data.s LIKE '%" + String(repeating: "ab", count: 10_000) + "%'") }
        #expect(throws: Never.self) { try CompiledExpression("data.s LIKE '" + String(repeating: "a_", count: 10_000) + "%'") }
    }
}

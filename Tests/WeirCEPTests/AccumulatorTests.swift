import Testing
import WeirCore
@testable import WeirCEP

/// Aggregate semantics, one test per decision (see `Accumulator`).
@Suite struct AccumulatorTests {
    func run(_ f: AggregateFunction, _ values: [Val]) -> Val {
        var a = Accumulator(f)
        for v in values { a.add(v) }
        return a.value
    }

    func json(_ v: Val) -> JSONValue? { v.json }
    func isError(_ v: Val, _ kind: EvaluationErrorKind) -> Bool {
        if case .error(let k) = v { return k == kind }
        return false
    }

    static var missing: Val { .error(.missingAttribute) }

    @Test func countCountsEveryEvent() {
        #expect(json(run(.count, [.long(1), Self.missing, .error(.math), .string("x")])) == 4)
        #expect(json(run(.count, [])) == 0)
    }

    /// count(x) counts values that are present: not missing and not an error.
    @Test func countValuesSkipsMissingAndErrors() {
        #expect(json(run(.countValues, [.long(1), Self.missing, .error(.math), .string("x"), .bool(false)])) == 3)
    }

    /// A sum of integers is an exact 64-bit integer, whatever the integer width.
    @Test func integerSumIsExact() {
        let big: Int64 = 9_007_199_254_740_993  // not representable as a double
        #expect(json(run(.sum, [.long(big), .int(1), .long(-1)])) == .int(big))
    }

    /// Integer overflow of a sum is a math error, as in expressions.
    @Test func integerSumOverflowIsAMathError() {
        #expect(isError(run(.sum, [.long(.max), .long(1)]), .math))
        #expect(isError(run(.sum, [.long(.min), .long(-1)]), .math))
        // Overflow that comes back in range is still an error: the running sum overflowed.
        #expect(isError(run(.sum, [.long(.max), .long(1), .long(-1)]), .math))
    }

    /// With a double in it the sum is a double, whatever the order.
    @Test func mixedSumIsADouble() {
        #expect(json(run(.sum, [.long(1), .double(0.5), .int(2)])) == .double(3.5))
        #expect(json(run(.sum, [.double(0.5), .long(1)])) == .double(1.5))
        // The integer part overflowing 64 bits is no error once the sum is a double.
        let v = run(.sum, [.long(.max), .long(.max), .double(0)])
        #expect(json(v) == .double(2 * Double(Int64.max)))
    }

    @Test func nonFiniteDoubleSumIsAMathError() {
        #expect(isError(run(.sum, [.double(1e308), .double(1e308)]), .math))
        #expect(isError(run(.avg, [.double(1e308), .double(1e308)]), .math))
    }

    /// sum and avg take numbers only: strings (even numeric), Booleans, missing values, arrays
    /// and errors are ignored.
    @Test func sumIgnoresNonNumbers() {
        #expect(json(run(.sum, [.long(2), .string("5"), .bool(true), Self.missing, .error(.cast), .array([1])])) == 2)
        #expect(json(run(.avg, [.long(2), .string("5"), .long(4)])) == .double(3))
    }

    /// avg is always a double.
    @Test func avgIsADouble() {
        #expect(json(run(.avg, [.long(1), .long(2)])) == .double(1.5))
        #expect(json(run(.avg, [.long(2), .long(2)])) == .double(2))
    }

    /// Over no value sum, avg, min, max, first and last are missing; count is 0; collect is [].
    @Test func emptyResults() {
        for f in [AggregateFunction.sum, .avg, .min, .max, .first, .last] {
            #expect(isError(run(f, []), .missingAttribute))
            #expect(isError(run(f, [Self.missing, .error(.math)]), .missingAttribute))
        }
        #expect(isError(run(.sum, [.string("x")]), .missingAttribute))
        #expect(json(run(.countValues, [Self.missing])) == 0)
        #expect(json(run(.collect, [Self.missing])) == [])
    }

    /// min and max compare numbers exactly across integers and doubles.
    @Test func minMaxCompareNumbersByValue() {
        #expect(json(run(.min, [.long(3), .double(2.5), .int(7)])) == .double(2.5))
        #expect(json(run(.max, [.long(3), .double(2.5), .int(7)])) == .int(7))
        // 2^53 + 1 against its nearest double 2^53: compared exactly.
        #expect(json(run(.max, [.double(9_007_199_254_740_992), .long(9_007_199_254_740_993)])) == .int(9_007_199_254_740_993))
        #expect(json(run(.min, [.long(-1), .double(-0.5)])) == .int(-1))
    }

    /// Strings compare by UTF-8 bytes (not by Unicode canonical equivalence or locale).
    @Test func minMaxCompareStringsByBytes() {
        #expect(json(run(.min, [.string("b"), .string("B"), .string("a")])) == "B")
        #expect(json(run(.max, [.string("ab"), .string("abc"), .string("a")])) == "abc")
        // "é" precomposed (C3 A9) sorts after "e\u{301}" (65 CC 81).
        #expect(json(run(.max, [.string("e\u{301}"), .string("\u{E9}")])) == .string("\u{E9}"))
    }

    /// Borrowed strings compare the same as owned ones.
    @Test func minMaxOverBorrowedStrings() {
        let bytes: [UInt8] = Array("apple".utf8)
        let result: JSONValue? = bytes.withUnsafeBufferPointer { buffer in
            var a = Accumulator(.min)
            a.add(.string("banana"))
            a.add(.raw(RawString(base: buffer.baseAddress!, count: buffer.count)))
            a.add(.string("cherry"))
            return a.value.json
        }
        #expect(result == "apple")
    }

    /// Every number orders before every string, so the result does not depend on arrival order.
    @Test func numbersOrderBeforeStrings() {
        #expect(json(run(.min, [.string("a"), .long(5)])) == 5)
        #expect(json(run(.min, [.long(5), .string("a")])) == 5)
        #expect(json(run(.max, [.long(5), .string("a")])) == "a")
        #expect(json(run(.max, [.string("a"), .long(5)])) == "a")
    }

    /// min and max ignore Booleans, arrays, objects, missing values and errors.
    @Test func minMaxIgnoreOtherValues() {
        #expect(json(run(.max, [.bool(true), .array([9]), Self.missing, .error(.math), .long(1)])) == 1)
    }

    /// On a tie the first value is kept (1 before 1.0).
    @Test func minTieKeepsTheFirst() {
        #expect(json(run(.min, [.long(1), .double(1)])) == 1)
        #expect(json(run(.min, [.double(1), .long(1)])) == .double(1))
    }

    /// first and last take any present value in arrival order, skipping missing ones.
    @Test func firstAndLast() {
        let values: [Val] = [Self.missing, .string("a"), .object(JSONObject([("k", 1)])), .long(3), Self.missing]
        #expect(json(run(.first, values)) == "a")
        #expect(json(run(.last, values)) == 3)
    }

    /// collect keeps present values in arrival order (duplicates too).
    @Test func collectInArrivalOrder() {
        #expect(json(run(.collect, [.string("b"), Self.missing, .string("a"), .string("b"), .long(1)])) == ["b", "a", "b", 1])
    }

    /// Counts and integer sums are 64-bit integers.
    @Test func countsAreLongs() {
        guard case .long(let n) = run(.count, [.long(1)]) else { Issue.record("count is not a long"); return }
        #expect(n == 1)
        guard case .long = run(.sum, [.int(1)]) else { Issue.record("sum is not a long"); return }
    }

    /// An accumulator survives a snapshot, including a non-finite running sum.
    @Test func snapshotRoundTrips() throws {
        var all: [Accumulator] = AggregateFunction.allCases.map(Accumulator.init)
        for v: Val in [.long(5), .double(1.5), .string("s"), .object(JSONObject([("a", JSONValue.array([1, 2.5]))])), .long(.max), .long(.max)] {
            for i in all.indices { all[i].add(v) }
        }
        let restored = try roundTrip(all)
        #expect(restored.map { $0.value.json } == all.map { $0.value.json })
        #expect(restored.map(\.count) == all.map(\.count))
        var infinite = Accumulator(.sum)
        infinite.add(.double(1e308))
        infinite.add(.double(1e308))
        let back = try roundTrip(infinite)
        #expect(isError(back.value, .math))
        var overflowed = Accumulator(.sum)
        overflowed.add(.long(.max))
        overflowed.add(.long(.max))
        var afterwards = try roundTrip(overflowed)
        #expect(isError(afterwards.value, .math))
        afterwards.add(.double(0))
        #expect(afterwards.value.json == .double(2 * Double(Int64.max)))
    }
}

/// GROUP BY keys: equality as in the expression language.
@Suite struct GroupKeyTests {
    @Test func numbersGroupByValue() {
        #expect(GroupKey(.int(1)) == GroupKey(.long(1)))
        #expect(GroupKey(.long(1)) == GroupKey(.double(1.0)))
        #expect(GroupKey(.double(-0.0)) == GroupKey(.long(0)))
        #expect(GroupKey(.double(1.5)) != GroupKey(.long(1)))
    }

    /// Strings group by bytes: canonically equivalent but different strings are two groups.
    @Test func stringsGroupByBytes() {
        let a = GroupKey(.string("\u{E9}"))!
        let b = GroupKey(.string("e\u{301}"))!
        #expect(a != b)
        #expect(Set([a, b]).count == 2)
        #expect(GroupKey(.string("DE")) == GroupKey(.string("DE")))
    }

    @Test func borrowedStringsEqualOwnedOnes() {
        let bytes = Array("DE".utf8)
        let key = bytes.withUnsafeBufferPointer { GroupKey(.raw(RawString(base: $0.baseAddress!, count: 2))) }
        #expect(key == GroupKey(.string("DE")))
    }

    /// A missing GROUP BY value is a group of its own; another error has no key.
    @Test func missingIsAGroupErrorsAreNot() {
        #expect(GroupKey(.error(.missingAttribute)) == .missing)
        #expect(GroupKey(.error(.math)) == nil)
        #expect(GroupKey(json: .null) == .missing)
    }

    @Test func compositeKeysByJSONText() {
        let a = GroupKey(.array([1, "x"]))
        #expect(a == GroupKey(.array([1, "x"])))
        #expect(a != GroupKey(.array(["x", 1])))
        #expect(GroupKey(.object(JSONObject([("a", 1), ("b", 2)]))) != GroupKey(.object(JSONObject([("b", 2), ("a", 1)]))))
    }

    /// `key` in EMIT gives the group's value back; missing for no GROUP BY.
    @Test func keyValue() {
        #expect(GroupKey(.string("DE"))!.value.json == "DE")
        #expect(GroupKey(.double(2.0))!.value.json == 2)
        #expect(GroupKey.all.value.json == nil)
        #expect(GroupKey(.array([1]))!.value.json == [1])
    }

    @Test func snapshotRoundTrips() throws {
        let keys: [GroupKey] = [.all, .missing, .bool(true), .integer(-3), .double(2.5), GroupKey(.string("é"))!,
                                GroupKey(.object(JSONObject([("a", JSONValue.array([1, 2.5]))])))!]
        #expect(try roundTrip(keys) == keys)
    }
}

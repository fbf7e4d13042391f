import WeirCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The aggregate functions of AGGREGATE's HAVING and EMIT (LANGUAGE.md section 3).
package enum AggregateFunction: String, Hashable, Sendable, Codable, CaseIterable {
    /// `count()`: the events in the window.
    case count
    /// `count(x)`: the events where `x` has a value (not missing, not an error).
    case countValues
    case sum, avg, min, max, first, last, collect
}

/// The incremental state of one aggregate in one window.
///
/// Only `first`, `last` and `collect` keep values; the others keep a few numbers, so adding a
/// value to them never allocates. Values are offered in the order the engine processes the
/// window's events (event-time order, ties in arrival order), which is what "arrival order"
/// means for `first`, `last` and `collect`.
///
/// Semantics, each a decision:
/// - A value that is missing or an evaluation error is ignored by every function but `count()`
///   (the engine counts the error when it evaluates the argument). JSON `null` is missing.
/// - `sum` and `avg` take numbers only (a numeric string or a Boolean is ignored: no implicit
///   cast). A sum of integers is an exact 64-bit integer; if it overflows, the sum is a `math`
///   error, as integer overflow is in expressions. Once a double is summed the sum is a double
///   (the integer part stays exact until it is added in), and a non-finite result is a `math`
///   error. `avg` is always a double.
/// - `min` and `max` take numbers (compared exactly across integers and doubles) and strings
///   (compared by UTF-8 bytes); every number orders before every string, so the result does not
///   depend on arrival order. On a tie the first value is kept.
/// - `sum`, `avg`, `min`, `max`, `first` and `last` over no value are missing; `count` is 0 and
///   `collect` is `[]` (missing values are not collected).
/// - Counts and integer sums are 64-bit integers (`Val.long`).
package struct Accumulator: Hashable, Sendable {
    package let function: AggregateFunction
    /// Values taken (`count()`: events).
    package private(set) var count: Int64 = 0
    private var integerSum: Int64 = 0
    private var doubleSum: Double = 0
    private var sawDouble = false
    private var overflowed = false
    /// min, max (`.int`, `.double` or `.string`), first, last.
    private var kept: JSONValue?
    /// collect.
    private var values: [JSONValue] = []

    /// An empty accumulator for `function`.
    package init(_ function: AggregateFunction) {
        self.function = function
    }

    /// Offers the aggregate's argument for one event (`count()` ignores it).
    @inline(__always)
    package mutating func add(_ value: Val) {
        switch function {
        case .count: count &+= 1
        case .countValues:
            if case .error = value { return }
            count &+= 1
        case .sum, .avg: addNumber(value)
        case .min: keepExtreme(value, wantSmaller: true)
        case .max: keepExtreme(value, wantSmaller: false)
        case .first:
            guard kept == nil, let json = value.json else { return }
            count &+= 1
            kept = json
        case .last:
            guard let json = value.json else { return }
            count &+= 1
            kept = json
        case .collect:
            guard let json = value.json else { return }
            count &+= 1
            values.append(json)
        }
    }

    private mutating func addNumber(_ value: Val) {
        switch value {
        case .int(let i): addInteger(Int64(i))
        case .long(let i): addInteger(i)
        case .double(let d):
            count &+= 1
            sawDouble = true
            doubleSum += d
        default: return
        }
    }

    @inline(__always)
    private mutating func addInteger(_ i: Int64) {
        count &+= 1
        let (s, overflow) = integerSum.addingReportingOverflow(i)
        if overflow {
            // Spill the exact part into the double part: needed if a double comes (then the sum
            // is a double); without one the sum is a math error.
            overflowed = true
            doubleSum += Double(integerSum)
            integerSum = i
        } else {
            integerSum = s
        }
    }

    private mutating func keepExtreme(_ value: Val, wantSmaller: Bool) {
        let order: Int
        switch value {
        case .int, .long, .double:
            guard let current = kept else { break }
            guard let o = Self.order(value, current) else { return }
            order = o
            if (wantSmaller && order < 0) || (!wantSmaller && order > 0) { break }
            return
        case .string, .raw:
            guard let current = kept else { break }
            order = Self.order(value, current) ?? 0
            if (wantSmaller && order < 0) || (!wantSmaller && order > 0) { break }
            return
        default: return
        }
        count &+= 1
        kept = value.json
    }

    /// -1, 0 or 1: a number or string against a kept number or string (numbers before strings);
    /// nil when a NaN is involved.
    static func order(_ value: Val, _ kept: JSONValue) -> Int? {
        switch (value, kept) {
        case (.string(let s), .string(let k)): return bytesOrder(s, k)
        case (.raw(let r), .string(var k)):
            return k.withUTF8 { kb in
                let n = Swift.min(r.count, kb.count)
                let c = n == 0 ? 0 : memcmp(r.base, kb.baseAddress!, n)
                if c != 0 { return c < 0 ? -1 : 1 }
                return r.count < kb.count ? -1 : (r.count == kb.count ? 0 : 1)
            }
        case (.string, _), (.raw, _): return 1
        case (_, .string): return -1
        case (.int, .int), (.int, .double), (.long, .int), (.long, .double), (.double, .int), (.double, .double):
            return Val.numericOrder(value, Val(kept, narrow: false))
        default: return nil
        }
    }

    static func bytesOrder(_ a: String, _ b: String) -> Int {
        var a = a
        var b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = Swift.min(x.count, y.count)
                let c = n == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, n)
                if c != 0 { return c < 0 ? -1 : 1 }
                return x.count < y.count ? -1 : (x.count == y.count ? 0 : 1)
            }
        }
    }

    /// The aggregate's value now.
    package var value: Val {
        switch function {
        case .count, .countValues: return .long(count)
        case .sum:
            guard count > 0 else { return .error(.missingAttribute) }
            if sawDouble {
                let total = doubleSum + Double(integerSum)
                return total.isFinite ? .double(total) : .error(.math)
            }
            return overflowed ? .error(.math) : .long(integerSum)
        case .avg:
            guard count > 0 else { return .error(.missingAttribute) }
            let mean = (doubleSum + Double(integerSum)) / Double(count)
            return mean.isFinite ? .double(mean) : .error(.math)
        case .min, .max, .first, .last:
            guard let kept else { return .error(.missingAttribute) }
            return Val(kept, narrow: false)
        case .collect: return .array(values)
        }
    }
}

extension Accumulator: Codable {
    private enum CodingKeys: String, CodingKey {
        case function, count, integerSum, doubleSum, nonFinite, sawDouble, overflowed, kept, values
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        function = try c.decode(AggregateFunction.self, forKey: .function)
        count = try c.decode(Int64.self, forKey: .count)
        integerSum = try c.decodeIfPresent(Int64.self, forKey: .integerSum) ?? 0
        doubleSum = try c.decodeIfPresent(Double.self, forKey: .doubleSum) ?? 0
        if try c.decodeIfPresent(Bool.self, forKey: .nonFinite) == true { doubleSum = .nan }
        sawDouble = try c.decodeIfPresent(Bool.self, forKey: .sawDouble) ?? false
        overflowed = try c.decodeIfPresent(Bool.self, forKey: .overflowed) ?? false
        kept = try c.decodeIfPresent(CodableJSON.self, forKey: .kept)?.value
        values = try c.decodeIfPresent([CodableJSON].self, forKey: .values)?.map(\.value) ?? []
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(function, forKey: .function)
        try c.encode(count, forKey: .count)
        if integerSum != 0 { try c.encode(integerSum, forKey: .integerSum) }
        // A non-finite running sum stays non-finite (its value is a math error): saved as a flag,
        // since JSON has no infinity.
        if !doubleSum.isFinite {
            try c.encode(true, forKey: .nonFinite)
        } else if doubleSum != 0 {
            try c.encode(doubleSum, forKey: .doubleSum)
        }
        if sawDouble { try c.encode(true, forKey: .sawDouble) }
        if overflowed { try c.encode(true, forKey: .overflowed) }
        if let kept { try c.encode(CodableJSON(kept), forKey: .kept) }
        if !values.isEmpty { try c.encode(values.map(CodableJSON.init), forKey: .values) }
    }
}

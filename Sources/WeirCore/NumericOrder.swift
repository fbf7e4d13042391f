extension Val {
    /// The value of a number as Int64 (only for `.int`, `.long`; 0 otherwise).
    @inline(__always)
    package var asInt64: Int64 {
        switch self {
        case .int(let i): return Int64(i)
        case .long(let i): return i
        default: return 0
        }
    }

    /// -1, 0 or 1 for two numbers (`.int`, `.long`, `.double`), exact across integer widths and
    /// doubles; nil when one is NaN. Shared by the expression language's comparisons and the
    /// `min`/`max` aggregates, so that both order numbers alike.
    @inline(__always)
    package static func numericOrder(_ a: Val, _ b: Val) -> Int? {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.double(let x), .double(let y)):
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : (x == y ? 0 : 1)
        case (.double(let x), _): return order(b.asInt64, x).map { -$0 }
        case (_, .double(let y)): return order(a.asInt64, y)
        default:
            let x = a.asInt64
            let y = b.asInt64
            return x < y ? -1 : (x == y ? 0 : 1)
        }
    }

    /// Exact order of an integer and a double (no rounding of the integer to a double); nil for NaN.
    package static func order(_ i: Int64, _ d: Double) -> Int? {
        if d.isNaN { return nil }
        if d >= 9_223_372_036_854_775_808.0 { return -1 }
        if d < -9_223_372_036_854_775_808.0 { return 1 }
        let t = Int64(d.rounded(.towardZero))
        if i != t { return i < t ? -1 : 1 }
        let fraction = d - d.rounded(.towardZero)
        return fraction > 0 ? -1 : (fraction < 0 ? 1 : 0)
    }
}

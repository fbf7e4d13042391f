import WeirCore

/// `INT`, `BOOL`, `STRING`: explicit casts with CESQL 3.7 semantics (tested by the conformance
/// suite though the v1 function tables no longer list them).
enum CastFunctions {
    static let all: [Function] = [
        Function("INT", "INT(x) -> Integer", arity: 1...1, [.any], returns: .int) { Cast.toInt32($0[0]) },
        Function("BOOL", "BOOL(x) -> Boolean", arity: 1...1, [.any], returns: .bool) { Cast.toBool($0[0]) },
        Function("STRING", "STRING(x) -> String", arity: 1...1, [.any], returns: .string) { Cast.toString($0[0]) },
    ]
}

/// `ABS` (CESQL 3.5.2) and Weir's rounding functions.
enum MathFunctions {
    static let all: [Function] = [
        Function("ABS", "ABS(x: Integer) -> Integer", arity: 1...1, [.number], returns: .number,
                 fallback: { args in
                     if case .long = args[0] { return .long(Int64.max) }
                     return .int(Int32.max)
                 }) { args in
            switch args[0] {
            case .int(let i): return i == Int32.min ? .error(.math) : .int(abs(i))
            case .long(let i): return i == Int64.min ? .error(.math) : .long(abs(i))
            case .double(let d): return .double(abs(d))
            default: return .error(.cast)
            }
        },
        Function("ROUND", "ROUND(x: number) -> number: to the nearest integer, halves away from zero", arity: 1...1, [.number], returns: .number, weirOnly: true) { args in
            rounded(args[0], .toNearestOrAwayFromZero)
        },
        Function("FLOOR", "FLOOR(x: number) -> number", arity: 1...1, [.number], returns: .number, weirOnly: true) { args in
            rounded(args[0], .down)
        },
        Function("CEIL", "CEIL(x: number) -> number", arity: 1...1, [.number], returns: .number, weirOnly: true) { args in
            rounded(args[0], .up)
        },
    ]

    static func rounded(_ v: Val, _ rule: FloatingPointRoundingRule) -> Val {
        guard case .double(let d) = v else { return v }
        let r = d.rounded(rule)
        if let i = Int64(exactly: r) { return .long(i) }
        return .double(r)
    }
}

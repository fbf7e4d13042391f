import WeirCore

/// A built-in function: its name, the argument counts it takes, how each argument is cast
/// before the call (CESQL 3.7 implicit casts), its result type, and its body.
///
/// A body receives the cast, error-free arguments and returns a value or `.error(kind)`; when
/// it fails, `fallback` (if any) gives the value CESQL specifies in place of the zero value
/// (`LEFT('abc', -1)` is `'abc'` plus an error).
struct Function: Sendable {
    enum Parameter: Sendable {
        /// Cast to String (CESQL).
        case string
        /// Cast to Integer (CESQL, 32 bits).
        case integer
        /// Cast to Boolean.
        case boolean
        /// Cast to a number of any width.
        case number
        /// Passed as it is (an error still stops the call).
        case any
    }

    /// Upper-case name, as calls are matched case-insensitively.
    let name: String
    let minArity: Int
    /// nil: variadic.
    let maxArity: Int?
    /// The parameter kinds; the last one repeats for variadic arguments.
    let parameters: [Parameter]
    let returns: StaticType
    /// Only in the default dialect (a Weir extension).
    let weirOnly: Bool
    /// A one-line signature for documentation and diagnostics.
    let signature: String
    let body: @Sendable (Arguments) -> Val
    let fallback: (@Sendable (Arguments) -> Val)?

    init(
        _ name: String, _ signature: String, arity: ClosedRange<Int>, variadic: Bool = false,
        _ parameters: [Parameter], returns: StaticType, weirOnly: Bool = false,
        fallback: (@Sendable (Arguments) -> Val)? = nil, body: @escaping @Sendable (Arguments) -> Val
    ) {
        self.name = name
        self.signature = signature
        minArity = arity.lowerBound
        maxArity = variadic ? nil : arity.upperBound
        self.parameters = parameters
        self.returns = returns
        self.weirOnly = weirOnly
        self.fallback = fallback
        self.body = body
    }

    func accepts(arity n: Int) -> Bool { n >= minArity && (maxArity == nil || n <= maxArity!) }

    func parameter(_ i: Int) -> Parameter { parameters.isEmpty ? .any : parameters[min(i, parameters.count - 1)] }

    /// Casts an argument to its parameter kind.
    @inline(__always)
    func cast(_ v: Val, _ i: Int) -> Val {
        switch parameter(i) {
        case .string: return Cast.toString(v)
        case .integer: return Cast.toInt32(v)
        case .boolean: return Cast.toBool(v)
        case .number: return Cast.toNumber(v)
        case .any: return v
        }
    }
}

/// Every built-in function, looked up by (upper-case name, argument count).
enum FunctionLibrary {
    static let all: [Function] = StringFunctions.all + CastFunctions.all + MathFunctions.all + TimeFunctions.all
        + GeoFunctions.all

    static let byName: [String: [Function]] = Dictionary(grouping: all, by: \.name)

    /// The names callable in a dialect, for "did you mean" suggestions.
    static func names(weir: Bool) -> [String] {
        all.filter { weir || !$0.weirOnly }.map(\.name) + (weir ? ["COALESCE"] : [])
    }
}

extension Val {
    /// The scalars of a string value (copying borrowed bytes).
    var scalars: String.UnicodeScalarView { (stringValue ?? "").unicodeScalars }
}

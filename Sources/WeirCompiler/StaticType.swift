import WeirCore

/// What the compiler knows about a node's value before evaluation.
enum StaticType: Sendable, Equatable {
    case bool, int, long, double, string, array, object
    /// A number whose width depends on the data (arithmetic over a path).
    case number
    /// Unknown until evaluation (an attribute or a path into data).
    case dynamic

    /// CESQL's zero value of the type, the value an erring node returns (section 3.3); an unknown
    /// type is taken as Boolean (section 3.2).
    var zero: Val {
        switch self {
        case .bool, .dynamic: return .bool(false)
        case .int, .number: return .int(0)
        case .long: return .long(0)
        case .double: return .double(0)
        case .string: return .string("")
        case .array: return .array([])
        case .object: return .object(JSONObject())
        }
    }

    /// The type of a constant value.
    init(of v: Val) {
        switch v {
        case .bool: self = .bool
        case .int: self = .int
        case .long: self = .long
        case .double: self = .double
        case .string, .raw: self = .string
        case .array: self = .array
        case .object: self = .object
        case .error: self = .dynamic
        }
    }

    /// The result type of arithmetic over operands of these types.
    static func arithmetic(_ a: StaticType, _ b: StaticType) -> StaticType {
        if a == .double || b == .double { return .double }
        if a == .dynamic || b == .dynamic || a == .number || b == .number { return .number }
        if a == .long || b == .long { return .long }
        return .int
    }
}

extension Val: @unchecked Sendable {}
// Safety: the only non-Sendable payload is `.raw`, a pointer into the document being evaluated,
// which lives only within one evaluation on one thread; compiled plans capture constants, never `.raw`.

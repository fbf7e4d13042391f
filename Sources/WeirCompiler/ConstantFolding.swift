import WeirCore
import WeirSyntax

/// Folds sub-expressions that read no event into constants. A sub-expression that always fails
/// is kept as it is (so evaluation still returns CESQL's value and error) and reported.
struct ConstantFolding {
    var diagnostics: [Diagnostic] = []

    mutating func fold(_ n: Node) -> Node {
        var n = n
        n.op = foldChildren(n.op)
        switch n.op {
        case .constant, .path, .exists, .missingFunction, .slot: return n
        default: break
        }
        guard n.children.allSatisfy({ $0.constant.map { !$0.isError } ?? false }) else { return n }
        let value = EvaluatorBuilder<NoEvent>.build(n)(NoEvent())
        if case .error(let kind) = value {
            diagnostics.append(.warning(.constantError, CompilerMessages.alwaysFails(kind.rawValue), at: n.range))
            return n
        }
        return Node(.constant(value), StaticType(of: value), n.range)
    }

    mutating func foldChildren(_ op: Node.Op) -> Node.Op {
        switch op {
        case .constant, .path, .exists, .missingFunction, .slot: return op
        case .not(let a): return .not(fold(a))
        case .negate(let a): return .negate(fold(a))
        case .arithmetic(let o, let a, let b): return .arithmetic(o, fold(a), fold(b))
        case .compare(let o, let a, let b): return .compare(o, fold(a), fold(b))
        case .equal(let a, let b, let neg): return .equal(fold(a), fold(b), negated: neg)
        case .and(let a, let b): return .and(fold(a), fold(b))
        case .or(let a, let b): return .or(fold(a), fold(b))
        case .xor(let a, let b): return .xor(fold(a), fold(b))
        case .like(let a, let p, let neg): return .like(fold(a), p, negated: neg)
        case .matches(let a, let r, let neg): return .matches(fold(a), r, negated: neg)
        case .inList(let a, let list, let neg): return .inList(fold(a), list.map { fold($0) }, negated: neg)
        case .inArray(let a, let b, let neg): return .inArray(fold(a), fold(b), negated: neg)
        case .call(let f, let args): return .call(f, args.map { fold($0) })
        case .coalesce(let args): return .coalesce(args.map { fold($0) })
        case .array(let elements): return .array(elements.map { fold($0) })
        case .object(let fields): return .object(fields.map { LoweredField(key: $0.key, value: fold($0.value)) })
        case .select(let a, let steps): return .select(fold(a), steps)
        }
    }
}

/// An event source with nothing in it, for evaluating constants at compile time.
struct NoEvent: EventSource {
    func value(at path: FieldPath) -> Val { .error(.missingAttribute) }
    func contains(_ path: FieldPath) -> Bool { false }
    func containerCount(at path: FieldPath) -> Int? { nil }
}

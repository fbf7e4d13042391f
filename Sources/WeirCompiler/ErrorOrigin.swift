import WeirCore
import WeirSyntax

extension ExpressionProgram {
    /// Where an evaluation's error arose: the innermost node that failed while the operands it
    /// evaluated did not, as a diagnostic pointing into the expression.
    ///
    /// Evaluation is pure, so this re-walks the tree for the one event, following the operands
    /// in evaluation order down the path of the first error (fail-fast returns the first error).
    /// It costs nothing when evaluations succeed: call it only for an evaluation that failed.
    /// A tall tree is re-walked on a helper thread with a large stack (see `LargeStack`); a
    /// short one, the common case, on the caller's thread.
    package func explain<S: Activation>(_ s: S) -> Diagnostic? { ExpressionProgram.explain(root, s) }

    /// `explain` for any compiled tree (rule files' programs too).
    static func explain<S: Activation>(_ root: Node, _ s: S) -> Diagnostic? {
        if root.height > ExpressionProgram.inlineExplainHeight { return LargeStack.run { explainHere(root, s) } }
        return explainHere(root, s)
    }

    /// The tallest tree `explain` re-walks on the caller's thread (a few kilobytes of stack a
    /// level in a debug build).
    static let inlineExplainHeight = 32

    private static func explainHere<S: Activation>(_ root: Node, _ s: S) -> Diagnostic? {
        func value(_ n: Node) -> Val { EvaluatorBuilder<S>.build(n)(s) }
        guard case .error(let kind) = value(root) else { return nil }
        var node = root
        descending: while true {
            for child in node.children {
                if case .error(kind) = value(child) {
                    node = child
                    continue descending
                }
            }
            break
        }
        if kind == .cast, let detail = ExpressionProgram.castFailure(node, node.children.map(value)) {
            return Diagnostic.error(.runtime, detail, at: node.range)
        }
        return Diagnostic.error(.runtime, ExpressionProgram.message(kind, node), at: node.range)
    }

    /// Which operand value `node` could not cast, and to which type, given its operands'
    /// values on this event; nil when that cannot be told.
    static func castFailure(_ node: Node, _ values: [Val]) -> String? {
        func firstFailing(_ type: String, _ cast: (Val) -> Val) -> String? {
            for v in values {
                if case .error(.cast) = cast(v) { return CompilerMessages.cannotCast(Lowering.describe(v), to: type) }
            }
            return nil
        }
        switch node.op {
        case .not, .and, .or, .xor:
            return firstFailing("Boolean", Cast.toBool)
        case .negate, .arithmetic, .compare:
            return firstFailing("Integer", Cast.toNumber)
        case .like, .matches:
            return firstFailing("String", Cast.toString)
        case .call(let function, _):
            for (i, v) in values.enumerated() {
                guard case .error(.cast) = function.cast(v, i) else { continue }
                return CompilerMessages.cannotCast(Lowering.describe(v), to: typeName(function.parameter(i)))
            }
            return nil
        case .equal, .inList:
            // The other operands are cast to the first one's type (CESQL 3.7).
            guard let first = values.first else { return nil }
            switch first {
            case .bool: return firstFailing("Boolean", Cast.toBool)
            case .int, .long, .double: return firstFailing("Integer") { Cast.toNumber($0, like: first) }
            default: return nil
            }
        case .inArray:
            guard values.count == 2 else { return nil }
            switch values[1] {
            case .array, .error: return nil
            default: return CompilerMessages.notAnArray(Lowering.describe(values[1]))
            }
        default:
            return nil
        }
    }

    static func typeName(_ parameter: Function.Parameter) -> String {
        switch parameter {
        case .string: return "String"
        case .integer: return "Integer"
        case .boolean: return "Boolean"
        case .number: return "Integer"
        case .any: return "the type it needs"
        }
    }

    static func message(_ kind: EvaluationErrorKind, _ node: Node) -> String {
        switch (kind, node.op) {
        case (.missingAttribute, .path(let path, _)): return "'\(path)' is missing from this event (missingAttribute)"
        case (.missingAttribute, _): return "a value is missing from this event (missingAttribute)"
        case (.math, _): return "math error: division by zero or a result out of range"
        case (.cast, _): return "cast error: a value cannot be converted to the type this operation needs"
        case (.missingFunction, _): return "no function of this name takes these arguments (missingFunction)"
        case (.functionEvaluation, .matches): return "the regular expression hit its match limit (functionEvaluation)"
        case (.functionEvaluation, _): return "the function cannot work on these arguments (functionEvaluation)"
        case (.parse, _), (.generic, _): return "evaluation failed (\(kind))"
        }
    }
}

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
    package func explain<S: EventSource>(_ s: S) -> Diagnostic? {
        if root.height > ExpressionProgram.inlineExplainHeight { return LargeStack.run { explainHere(s) } }
        return explainHere(s)
    }

    /// The tallest tree `explain` re-walks on the caller's thread (a few kilobytes of stack a
    /// level in a debug build).
    static let inlineExplainHeight = 32

    private func explainHere<S: EventSource>(_ s: S) -> Diagnostic? {
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
        return Diagnostic.error(.runtime, ExpressionProgram.message(kind, node), at: node.range)
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

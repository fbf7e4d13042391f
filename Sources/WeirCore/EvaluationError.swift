/// The kinds of evaluation error of CloudEvents SQL (section 3.3), shared by every Weir expression.
public enum EvaluationErrorKind: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case parse
    case math
    case cast
    case missingAttribute
    case missingFunction
    case functionEvaluation
    case generic

    public var description: String { rawValue }
}

import WeirCompiler
import WeirCore

/// An event the engine offers to its declarations: the parser's view of an input line (read in
/// place, never copied unless a declaration keeps it) or an owned event (held for reordering,
/// derived, or given by an embedder). The engine's code is generic over the two, so each gets
/// direct, specialised evaluation.
protocol EngineInput {
    /// The event's `type`.
    var eventType: String { get }
    /// The event's `id`.
    var eventId: String { get }
    /// The event's `correlationid`, when it has one.
    var correlationId: String? { get }
    /// The event's `time` attribute: absent, or its text.
    var timeText: String? { get }
    /// CESQL's filter rule on this event (true only for Boolean true with no error).
    func test(_ program: Program) -> (Bool, EvaluationErrorKind?)
    func evaluate(_ program: Program) -> Val
    /// An owned copy (packed once).
    func owned() -> Event
}

/// Paths to the attributes the engine reads itself, built once.
enum AttributePaths {
    static let type = FieldPath(root: .type)
    static let id = FieldPath(root: .id)
    static let time = FieldPath(root: .attribute("time"))
    static let correlationId = FieldPath(root: .attribute("correlationid"))
}

extension Val {
    /// The text of a string value (borrowed bytes copied), nil for anything else.
    var text: String? {
        switch self {
        case .string(let s): return s
        case .raw(let r): return r.string
        default: return nil
        }
    }
}

extension DocumentView: EngineInput {
    var eventType: String { value(at: AttributePaths.type).text ?? "" }
    var eventId: String { value(at: AttributePaths.id).text ?? "" }
    var correlationId: String? { value(at: AttributePaths.correlationId).text }
    var timeText: String? { value(at: AttributePaths.time).text }
    func test(_ program: Program) -> (Bool, EvaluationErrorKind?) { program.test(self) }
    func evaluate(_ program: Program) -> Val { program.evaluate(self) }
    func owned() -> Event { Event(checkedDocument: root) }
}

extension Event: EngineInput {
    var eventType: String { type }
    var eventId: String { id }
    var correlationId: String? {
        if case .string(let s)? = self[attribute: "correlationid"] { return s }
        return nil
    }
    var timeText: String? { time }
    func test(_ program: Program) -> (Bool, EvaluationErrorKind?) { program.test(self) }
    func evaluate(_ program: Program) -> Val { program.evaluate(self) }
    func owned() -> Event { self }
}

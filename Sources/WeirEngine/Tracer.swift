import WeirCEP
import WeirCompiler
import WeirCore
import WeirSyntax

/// `weir run --trace [EXPR]`: for each event (or those EXPR selects) and each declaration
/// listening to its type, what each clause decided and why: the values it read, the error it
/// met, what was emitted. The answer to "why didn't it fire?". Lines collect here for the
/// caller to write.
package final class Tracer {
    private let plan: RuleSetPlan
    /// Only events for which this is true are traced (all when nil).
    private let filter: ExpressionProgram?
    private var active = false
    private var lines: [String] = []

    package init(plan: RuleSetPlan, filter: ExpressionProgram?) {
        self.plan = plan
        self.filter = filter
    }

    /// The lines written since the last call.
    package func take() -> [String] {
        defer { lines.removeAll(keepingCapacity: true) }
        return lines
    }

    func begin<E: EngineInput>(_ event: E, line: Int?, depth: Int) -> Bool {
        if let filter {
            let owned = event.owned()
            guard filter.isTrue(owned) else {
                active = false
                return false
            }
        }
        active = true
        let origin = depth == 0 ? (line.map { "line \($0)" } ?? "event") : "derived (depth \(depth))"
        lines.append("trace: \(origin): \(event.eventType) \(event.eventId)\(event.timeText.map { " at \($0)" } ?? "")")
        return true
    }

    func end() { active = false }

    /// Whether an event is being traced now (notes go under it).
    var isTracingEvent: Bool { active }

    /// No declaration listens to the event's type (a misspelt `ON` type?).
    func unheard<E: EngineInput>(_ event: E) {
        guard active else { return }
        lines.append("  no declaration listens to type '\(event.eventType)'")
    }

    func note(_ d: Int, _ text: String) {
        guard active else { return }
        lines.append("  \(plan.declarations[d].name): \(text)")
    }

    func condition<E: EngineInput>(
        _ d: Int, _ program: Program, _ event: E, holds: Bool, error: EvaluationErrorKind?, branch: Int?
    ) {
        guard active else { return }
        let clause = branch.map { "\(program.clause) #\($0)" } ?? program.clause
        let owned = event.owned()
        let read = program.valuesRead(owned).map { "\($0.path) = \(Tracer.show($0.value))" }.joined(separator: ", ")
        var text = "\(clause) \(holds ? "true" : "false")"
        if let error {
            text += " (\(error) error"
            if let why = program.explain(owned) { text += ": \(why.message)" }
            text += ")"
        }
        if !read.isEmpty { text += "; read \(read)" }
        note(d, text)
    }

    /// A PATTERN step's WHERE, for one run (nil: the event starting a run).
    func stepCondition<E: EngineInput>(
        _ d: Int, _ alias: String, runId: Int?, _ program: Program, _ event: E, holds: Bool, error: EvaluationErrorKind?
    ) {
        guard active else { return }
        let owned = event.owned()
        let read = program.valuesRead(owned).map { "\($0.path) = \(Tracer.show($0.value))" }.joined(separator: ", ")
        var text = (runId.map { "run \($0): " } ?? "") + "'\(alias)' WHERE \(holds ? "true" : "false")"
        if let error { text += " (\(error) error)" }
        if !read.isEmpty { text += "; read \(read)" }
        note(d, text)
    }

    /// What a timer did (a PATTERN run completing or expiring), between events.
    func timer(_ text: String) {
        guard filter == nil else { return }
        lines.append("trace: " + text)
    }

    func window(_ d: Int, _ fired: FiredWindow, holds: Bool, error: EvaluationErrorKind?) {
        guard filter == nil, case .aggregate(let aggregate) = plan.declarations[d].kind else { return }
        let bounds = "[\(Timestamp(milliseconds: fired.window.start).rfc3339), \(Timestamp(milliseconds: fired.window.end).rfc3339))"
        let results = zip(aggregate.aggregates, fired.accumulators).map { call, accumulator in
            let argument = call.argument.map { $0.source.slice($0.range) } ?? ""
            return "\(call.function.rawValue)(\(argument)) = \(Tracer.show(accumulator.value))"
        }.joined(separator: ", ")
        var text = "trace: window \(bounds) of \(plan.declarations[d].name), group \(Tracer.show(fired.group.value)): "
        text += aggregate.having == nil ? "fires" : "HAVING \(holds ? "true" : "false")"
        if let error { text += " (\(error) error)" }
        if !results.isEmpty { text += "; \(results)" }
        lines.append(text)
    }

    func late<E: EngineInput>(_ event: E, line: Int?, time: EventTime, watermark: EventTime) {
        if let filter, !filter.isTrue(event.owned()) { return }
        lines.append(
            "trace: \(line.map { "line \($0)" } ?? "event"): \(event.eventType) \(event.eventId) is late: its time "
                + "\(Timestamp(milliseconds: time).rfc3339) is before the watermark \(Timestamp(milliseconds: watermark).rfc3339)")
    }

    /// A value as the trace shows it: JSON, or `missing` / the error kind.
    static func show(_ value: Val) -> String {
        if case .error(let kind) = value { return kind == .missingAttribute ? "missing" : "error (\(kind))" }
        guard let json = value.json else { return "missing" }
        var writer = JSONWriter(capacity: 64)
        writer.write(json)
        return String(decoding: writer.bytes, as: UTF8.self)
    }
}

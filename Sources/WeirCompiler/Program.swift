import WeirCore
import WeirSyntax

/// One compiled expression of a declaration: where it is (clause name and range, for
/// `--stats` and `--trace`) and how to evaluate it in each context. Evaluation never throws:
/// the result is a value, or `.error(kind)` (CESQL's value plus error).
package struct Program: Sendable {
    /// `WHERE`, `WHEN`, `EMIT`, `GROUP BY`, `HAVING`, or the aggregate call (`sum(data.x)`).
    package let clause: String
    package let range: SourceRange
    package let source: SourceFile
    let root: Node
    let onDocument: Evaluator<DocumentView>
    let onEvent: Evaluator<EventView>
    let onFire: Evaluator<FireActivation>
    /// A PATTERN's clauses: the current event (if any) plus a run's slots.
    let withSlots: SlotEvaluators?
    /// For an object literal (an EMIT template): one evaluator per field, so that the fields
    /// left out for an error can be counted (`evaluateFields`).
    let fields: ObjectFields?

    /// `slots`: the program reads a PATTERN run's slots (built for that too).
    init(clause: String, root: Node, source: SourceFile, slots: Bool = false) {
        self.clause = clause
        self.range = root.range
        self.source = source
        self.root = root
        onDocument = EvaluatorBuilder<DocumentView>.build(root)
        onEvent = EvaluatorBuilder<EventView>.build(root)
        onFire = EvaluatorBuilder<FireActivation>.build(root)
        withSlots = slots ? SlotEvaluators(root) : nil
        if case .object(let fields) = root.op { self.fields = ObjectFields(fields, slots: slots) } else { fields = nil }
    }

    /// Evaluators over an event plus a run's slots, and over slots alone.
    struct SlotEvaluators: Sendable {
        let onDocument: Evaluator<EventActivation<DocumentView>>
        let onEvent: Evaluator<EventActivation<EventView>>
        let alone: Evaluator<EventActivation<NoEvent>>

        init(_ root: Node) {
            onDocument = EvaluatorBuilder<EventActivation<DocumentView>>.build(root)
            onEvent = EvaluatorBuilder<EventActivation<EventView>>.build(root)
            alone = EvaluatorBuilder<EventActivation<NoEvent>>.build(root)
        }
    }

    /// An object literal's fields, evaluated one by one.
    struct ObjectFields: Sendable {
        let keys: [String]
        let onDocument: [Evaluator<DocumentView>]
        let onEvent: [Evaluator<EventView>]
        let onFire: [Evaluator<FireActivation>]
        let onSlots: [Evaluator<EventActivation<NoEvent>>]

        init(_ fields: [LoweredField], slots: Bool) {
            keys = fields.map(\.key)
            onDocument = fields.map { EvaluatorBuilder<DocumentView>.build($0.value) }
            onEvent = fields.map { EvaluatorBuilder<EventView>.build($0.value) }
            onFire = fields.map { EvaluatorBuilder<FireActivation>.build($0.value) }
            onSlots = slots ? fields.map { EvaluatorBuilder<EventActivation<NoEvent>>.build($0.value) } : []
        }

        func evaluate<S>(_ evaluators: [Evaluator<S>], _ s: S) -> FieldsResult {
            var result = FieldsResult(object: JSONObject(reservingCapacity: keys.count), errors: [])
            for (key, x) in zip(keys, evaluators) {
                let v = x(s)
                if let json = v.json {
                    result.object.appendUnchecked(key, json)
                } else if case .error(let kind) = v, kind != .missingAttribute {
                    result.errors.append((key, kind))
                }
            }
            return result
        }
    }

    /// An EMIT template's data: the object, and the fields left out because their value erred
    /// with an error other than `missingAttribute` (a missing value is left out silently).
    package struct FieldsResult {
        package var object: JSONObject
        package var errors: [(field: String, error: EvaluationErrorKind)]
    }

    /// For an object literal (an EMIT template): its object plus the fields left out for an
    /// error; for any other expression, its value as `evaluate` gives it (no field errors).
    package func evaluateFields(_ document: DocumentView) -> FieldsResult {
        if let fields { return fields.evaluate(fields.onDocument, document) }
        return Program.whole(evaluate(document))
    }

    package func evaluateFields(_ event: Event) -> FieldsResult {
        if let fields { return event.withView { fields.evaluate(fields.onEvent, $0) } }
        return Program.whole(evaluate(event))
    }

    package func evaluateFields(_ fire: FireContext) -> FieldsResult {
        if let fields { return fire.withActivation { fields.evaluate(fields.onFire, $0) } }
        return Program.whole(evaluate(fire))
    }

    static func whole(_ v: Val) -> FieldsResult {
        if case .object(let o) = v { return FieldsResult(object: o, errors: []) }
        if case .error(let kind) = v { return FieldsResult(object: JSONObject(), errors: [("", kind)]) }
        return FieldsResult(object: JSONObject(), errors: [])
    }

    /// A PATTERN template on a run's slots alone (no current event).
    package func evaluateFields(slots: UnsafeBufferPointer<Val>) -> FieldsResult {
        let activation = EventActivation(event: NoEvent(), slots: slots)
        if let fields, !fields.onSlots.isEmpty { return fields.evaluate(fields.onSlots, activation) }
        return Program.whole(evaluate(slots: slots))
    }

    /// A PATTERN clause on a run's slots alone (no current event); missing when the program
    /// was not built for slots.
    package func evaluate(slots: UnsafeBufferPointer<Val>) -> Val {
        withSlots?.alone(EventActivation(event: NoEvent(), slots: slots)) ?? .error(.missingAttribute)
    }

    /// A PATTERN step's WHERE: the current event (read in place) plus the run's slots.
    @inline(__always)
    package func test(_ document: DocumentView, slots: UnsafeBufferPointer<Val>) -> (Bool, EvaluationErrorKind?) {
        // Called in place (unwrapped with `guard let`, the evaluator would be retained and released).
        guard withSlots != nil else { return test(document) }
        return Program.test(withSlots.unsafelyUnwrapped.onDocument(EventActivation(event: document, slots: slots)))
    }

    /// A PATTERN step's WHERE on an owned event plus the run's slots.
    @inline(__always)
    package func test(_ event: Event, slots: UnsafeBufferPointer<Val>) -> (Bool, EvaluationErrorKind?) {
        guard let withSlots else { return test(event) }
        return event.withView { Program.test(withSlots.onEvent(EventActivation(event: $0, slots: slots))) }
    }

    /// An expression on the current event (read in place) plus slots (a SAGA's KEY).
    package func evaluate(_ document: DocumentView, slots: UnsafeBufferPointer<Val>) -> Val {
        guard let withSlots else { return evaluate(document) }
        return withSlots.onDocument(EventActivation(event: document, slots: slots))
    }

    /// An expression on an owned event plus slots.
    package func evaluate(_ event: Event, slots: UnsafeBufferPointer<Val>) -> Val {
        guard let withSlots else { return evaluate(event) }
        return event.withView { withSlots.onEvent(EventActivation(event: $0, slots: slots)) }
    }

    /// For `--trace`: when evaluation on an event plus slots errs, where and why.
    package func explain(_ event: Event, slots: UnsafeBufferPointer<Val>) -> Diagnostic? {
        event.withView { ExpressionProgram.explain(root, EventActivation(event: $0, slots: slots)) }
    }

    /// On an input event being ingested (no copy). For per-event clauses.
    @inline(__always)
    package func evaluate(_ document: DocumentView) -> Val { onDocument(document) }

    /// On an owned event (buffered or derived). For per-event clauses.
    @inline(__always)
    package func evaluate(_ event: Event) -> Val { event.withView { onEvent($0) } }

    /// At a window's firing (HAVING, an aggregate's EMIT): no current event.
    package func evaluate(_ fire: FireContext) -> Val { fire.withActivation { onFire($0) } }

    /// CESQL's filter rule: true only for Boolean `true` with no error; the error kind when it erred.
    @inline(__always)
    package func test(_ document: DocumentView) -> (Bool, EvaluationErrorKind?) { Program.test(evaluate(document)) }

    @inline(__always)
    package func test(_ event: Event) -> (Bool, EvaluationErrorKind?) { Program.test(evaluate(event)) }

    package func test(_ fire: FireContext) -> (Bool, EvaluationErrorKind?) { Program.test(evaluate(fire)) }

    @inline(__always)
    static func test(_ v: Val) -> (Bool, EvaluationErrorKind?) {
        switch v {
        case .bool(let b): return (b, nil)
        case .error(let kind): return (false, kind)
        default: return (false, nil)
        }
    }

    /// For `--trace`: the paths this program reads, as written (`data.totalAmount`), with their
    /// value in `event` (a value, or the error), in source order, each once.
    package func valuesRead(_ event: Event) -> [(path: String, value: Val)] {
        var seen: Set<String> = []
        var out: [(path: String, value: Val)] = []
        for (text, path) in paths where seen.insert(text).inserted {
            out.append((text, event.withView { $0.value(at: path) }))
        }
        return out
    }

    /// The event paths read anywhere in the tree (`EXISTS` targets included), by source position.
    var paths: [(text: String, path: FieldPath)] {
        var found: [(Int, String, FieldPath)] = []
        var stack = [root]
        while let node = stack.popLast() {
            switch node.op {
            case .path(let p, _), .exists(let p):
                let text = node.op.isExists ? source.slice(node.range).dropExistsKeyword : source.slice(node.range)
                found.append((node.range.start, text, p))
            default: break
            }
            stack.append(contentsOf: node.children)
        }
        return found.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
    }

    /// For `--trace`: when evaluation on `event` errs, a diagnostic saying where and why.
    package func explain(_ event: Event) -> Diagnostic? { event.withView { ExpressionProgram.explain(root, $0) } }

    /// When evaluation at fire time errs, a diagnostic saying where and why.
    package func explain(_ fire: FireContext) -> Diagnostic? { fire.withActivation { ExpressionProgram.explain(root, $0) } }

    /// The slots the compiled tree reads.
    package var slotsRead: Set<Int> {
        var found: Set<Int> = []
        var stack = [root]
        while let node = stack.popLast() {
            if case .slot(let i) = node.op { found.insert(i) }
            stack.append(contentsOf: node.children)
        }
        return found
    }

    /// Whether the compiled tree reads a slot (a PATTERN run's bound values).
    package var readsSlots: Bool { !slotsRead.isEmpty }


    /// Whether the compiled tree reads the current event (false for constants and fire-time reads).
    package var readsEvent: Bool { root.readsEvent }
}

extension Node.Op {
    var isExists: Bool {
        if case .exists = self { return true }
        return false
    }
}

extension String {
    /// `EXISTS data.x` as `data.x`.
    fileprivate var dropExistsKeyword: String {
        guard let space = firstIndex(where: \.isWhitespace) else { return self }
        return String(self[space...].drop(while: \.isWhitespace))
    }
}

import CSimdJSON
import WeirCEP
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
    func test(_ clause: Clause) -> (Bool, EvaluationErrorKind?)
    func evaluate(_ clause: Clause) -> Val
    /// A PATTERN step's WHERE on this event plus a run's slots.
    func test(_ clause: Clause, slots: UnsafeBufferPointer<Val>) -> (Bool, EvaluationErrorKind?)
    /// An expression on this event plus an instance's slots (a SAGA's KEY).
    func evaluate(_ clause: Clause, slots: UnsafeBufferPointer<Val>) -> Val
    /// A top-level attribute (`sagastep`, by a path made once), missing when absent.
    func attribute(_ path: FieldPath) -> Val
    /// An EMIT template's object, and the fields left out because they failed (not missing).
    func evaluateFields(_ clause: Clause) -> Program.FieldsResult
    /// An owned copy (packed once).
    func owned() -> Event
    /// The event's time from its `time` attribute: `.absent`, `.invalid`, or milliseconds.
    var eventTime: EventTimeReading { get }
    /// `eventTime`, reusing the date of the previous event read with `dates` when it is the same.
    func eventTime(dates: inout EventTimeText.DateMemo) -> EventTimeReading
    /// Calls `body` with the UTF-8 bytes of the event's `type` (no copy where it can).
    func withTypeBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R
    /// Calls `body` with the UTF-8 bytes of the event's `id` and `correlationid` (if any).
    func withIdentity(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>?) -> Void)
}

/// What an event's `time` attribute says.
enum EventTimeReading {
    case absent
    case invalid
    case at(EventTime)
}

extension EngineInput {
    func eventTime(dates: inout EventTimeText.DateMemo) -> EventTimeReading { eventTime }

    func withTypeBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        var type = eventType
        return type.withUTF8 { body($0) }
    }

    func withIdentity(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>?) -> Void) {
        var id = eventId
        var correlation = correlationId
        id.withUTF8 { idBytes in
            if correlation == nil {
                body(idBytes, nil)
            } else {
                correlation!.withUTF8 { body(idBytes, $0) }
            }
        }
    }
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
    func withTypeBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { body(typeBytes.buffer) }

    func withIdentity(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>?) -> Void) {
        // `id` from what the ingest check found.
        guard let id = idBytes else { return body(UnsafeBufferPointer(start: nil, count: 0), nil) }
        // `correlationid` too: the ingest check found it in the same pass.
        body(id.buffer, correlationIdBytes?.buffer)
    }

    func eventTime(dates: inout EventTimeText.DateMemo) -> EventTimeReading {
        if let bytes = timeBytes, let fast = EventTimeText.parseCommon(bytes.buffer, dates: &dates) { return .at(fast) }
        return eventTime
    }

    var eventTime: EventTimeReading {
        if let bytes = timeBytes {
            if let fast = EventTimeText.parseCommon(bytes.buffer) { return .at(fast) }
            guard let t = Timestamp.parse(bytes.buffer), t.isRFC3339 else { return .invalid }
            return .at(t.eventTime)
        }
        // Absent or JSON null; anything else (a number, an object) is not a timestamp.
        do {
            return try eventTimeMilliseconds() == nil ? .absent : .invalid
        } catch {
            return .invalid
        }
    }
    var eventType: String { type }
    var eventId: String { idBytes?.string ?? "" }
    var correlationId: String? { correlationIdBytes?.string }
    var timeText: String? { timeBytes?.string }
    func test(_ clause: Clause) -> (Bool, EvaluationErrorKind?) { clause.test(self) }
    func test(_ clause: Clause, slots: UnsafeBufferPointer<Val>) -> (Bool, EvaluationErrorKind?) { clause.test(self, slots: slots) }
    func evaluate(_ clause: Clause, slots: UnsafeBufferPointer<Val>) -> Val { clause.evaluate(self, slots: slots) }
    func attribute(_ path: FieldPath) -> Val { value(at: path) }
    func evaluate(_ clause: Clause) -> Val { clause.evaluate(self) }
    func evaluateFields(_ clause: Clause) -> Program.FieldsResult { clause.evaluateFields(self) }
    func owned() -> Event { Event(checkedDocument: root) }
}

extension Event: EngineInput {
    var eventType: String { type }
    var eventTime: EventTimeReading {
        do {
            guard let ms = try eventTimeMilliseconds() else { return .absent }
            return Timestamp(milliseconds: ms).isRFC3339 ? .at(ms) : .invalid
        } catch {
            return .invalid
        }
    }
    func withTypeBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { body(typeBytes.buffer) }
    var eventId: String { id }
    var correlationId: String? {
        let name: StaticString = "correlationid"
        guard let i = packed.field(PackedJSON.root, UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount)),
              packed.tag(i) == .string else { return nil }
        return packed.string(i).string
    }
    var timeText: String? { time }
    func test(_ clause: Clause) -> (Bool, EvaluationErrorKind?) { clause.test(self) }
    func test(_ clause: Clause, slots: UnsafeBufferPointer<Val>) -> (Bool, EvaluationErrorKind?) { clause.test(self, slots: slots) }
    func evaluate(_ clause: Clause, slots: UnsafeBufferPointer<Val>) -> Val { clause.evaluate(self, slots: slots) }
    func attribute(_ path: FieldPath) -> Val { withView { $0.value(at: path) } }
    func evaluate(_ clause: Clause) -> Val { clause.evaluate(self) }
    func evaluateFields(_ clause: Clause) -> Program.FieldsResult { clause.evaluateFields(self) }
    func owned() -> Event { self }
}

import Testing
import Weir

/// What the end-to-end saga tests share: events at millisecond offsets from one instant (with
/// the saga stamps a reply may carry), a whole run as `weir run` does it (keeping every
/// instance, so its state and history can be read), and compact views of the output.
enum SagaRun {
    /// 2026-01-01T00:00:00.000Z: every offset counts from here.
    static let base: Int64 = 1_767_225_600_000

    /// The RFC 3339 text of offset `ms`.
    static func time(_ ms: Int64) -> String { Timestamp(milliseconds: base + ms).rfc3339 }

    /// The offset of an event's `time`.
    static func offset(_ e: Event) -> Int64 {
        (try? e.eventTimeMilliseconds()).flatMap { $0 }.map { $0 - base } ?? -1
    }

    /// An event of `type` at offset `ms` with `data`, and the `correlationid`, `sagastep` and
    /// `sagaattempt` a reply may carry.
    static func event(
        _ id: String, _ type: String, _ ms: Int64, _ data: JSONObject = [:], correlation: String? = nil, step: String? = nil,
        attempt: Int? = nil
    ) -> Event {
        var attributes = JSONObject()
        attributes["time"] = .string(time(ms))
        if let correlation { attributes["correlationid"] = .string(correlation) }
        if let step { attributes["sagastep"] = .string(step) }
        if let attempt { attributes["sagaattempt"] = .int(Int64(attempt)) }
        return try! Event(id: id, source: "/test", type: type, attributes: attributes, data: .object(data))
    }

    /// One instance at the end of a run: state, error and history (`what step#attempt`).
    struct Instance {
        var id: String
        var key: JSONValue
        var state: String
        var error: JSONValue?
        var history: [String]
        var json: JSONValue
    }

    struct Result {
        var out: [Event]
        var late: [String]
        var statistics: DeclarationStatistics
        var instances: [Instance]

        /// The instance `id`, or nil.
        func instance(_ id: String) -> Instance? { instances.first { $0.id == id } }
    }

    /// Runs `rules` over `events` as `weir run` does (the last declaration named `saga` is the
    /// saga whose statistics are returned), keeping every instance, live and ended.
    static func run(_ rules: String, _ events: [Event], lateness: Int64 = 0, flush: Bool = true, saga: String = "s") throws -> Result {
        var configuration = RuleStreamRun()
        configuration.keepSagas = true
        configuration.lateness = lateness
        configuration.flush = flush
        let text = events.map { $0.jsonText + "\n" }.joined()
        var out: [Event] = []
        var late: [String] = []
        var rejected: [String] = []
        let summary = try configuration.run(
            try RuleSet(text: rules), reader: EventReader(bytes: Array(text.utf8)),
            emit: { line in
                var bytes = Array(line)
                while bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
                out.append(try EventReader.parseEvent(bytes))
            },
            late: { late.append($0.event.id) },
            rejected: { rejected.append($0.reason) },
            trace: nil)
        #expect(rejected.isEmpty, "rejected input: \(rejected)")
        let statistics = try #require(summary.statistics.declarations.first { $0.name == saga })
        let instances = summary.sagas.filter { $0.saga == saga }.map { report in
            Instance(
                id: report.id, key: report.key, state: report.state, error: report.json["error"],
                history: report.history.map { entry in
                    var text = entry.what
                    if let step = entry.step { text += " \(step)" }
                    if let attempt = entry.attempt { text += "#\(attempt)" }
                    return text
                },
                json: report.json)
        }
        return Result(out: out, late: late, statistics: statistics, instances: instances)
    }

    /// `type correlationid @offset` per event.
    static func brief(_ events: [Event]) -> [String] {
        events.map { e in
            let correlation: String
            if case .string(let c)? = e[attribute: "correlationid"] { correlation = c } else { correlation = "-" }
            return "\(e.type) \(correlation) @\(offset(e))"
        }
    }

    /// The events of `type`.
    static func ofType(_ type: String, _ events: [Event]) -> [Event] { events.filter { $0.type == type } }

    /// A string attribute or data field.
    static func text(_ value: JSONValue?) -> String? {
        if case .string(let s)? = value { return s }
        return nil
    }

    /// An integer attribute or data field.
    static func int(_ value: JSONValue?) -> Int64? {
        if case .int(let i)? = value { return i }
        return nil
    }

    /// A three-step saga `s` (steps a, b, c: each `X.do`, awaiting `X.ok` within `within`, failing
    /// on `X.no`, compensated by `X.undo`), with optional extra clauses.
    static func threeSteps(
        within: String = "10s", timeout: String? = nil, retryB: String? = nil, awaitWhere: Bool = false,
        confirm: String? = nil
    ) -> String {
        var text = """
        SAGA s
          START ON 'o.placed' AS o
          KEY o.data.id

        """
        if let timeout { text += "  TIMEOUT \(timeout)\n" }
        for step in ["a", "b", "c"] {
            text += "  STEP \(step)\n"
            text += "    SEND '\(step).do' { id: o.data.id }\n"
            text += "    AWAIT '\(step).ok'" + (awaitWhere ? " WHERE data.id = o.data.id" : "") + " WITHIN \(within)\n"
            text += "    FAIL ON '\(step).no'" + (awaitWhere ? " WHERE data.id = o.data.id" : "") + "\n"
            if step == "b", let retryB { text += "    \(retryB)\n" }
            text += "    COMPENSATE '\(step).undo' { id: o.data.id }"
            if let confirm { text += " AWAIT '\(step).undone' WITHIN \(confirm)" }
            text += "\n"
        }
        text += """
          ON COMPLETE EMIT 's.done' { id: o.data.id }
          ON FAILURE EMIT 's.failed' { id: o.data.id, kind: error.kind, step: error.step, attempt: error.attempt, message: error.message }

        """
        return text
    }
}

import Testing
import Weir

/// What the rule-engine tests share: events to feed, a whole run, and a compact view of its output.
enum RuleRun {
    /// An event of `type` at `time` (none when nil), with `data` and a `correlationid` if given.
    static func event(
        _ id: String, _ type: String, _ time: String?, _ data: JSONValue?, correlation: String? = nil, source: String = "/test"
    ) -> Event {
        var attributes = JSONObject()
        if let time { attributes["time"] = .string(time) }
        if let correlation { attributes["correlationid"] = .string(correlation) }
        return try! Event(id: id, source: source, type: type, attributes: attributes, data: data)
    }

    /// Runs `rules` over `events`: every emitted event in emission order, the ids of the late
    /// input events, and the engine (for its statistics).
    static func run(
        _ rules: String, _ events: [Event], lateness: Int64 = 0, maxDerivation: Int = 32, flush: Bool = true
    ) throws -> (out: [Event], late: [String], engine: RuleEngine) {
        let engine = RuleEngine(rules: try RuleSet(text: rules), lateness: TimeSpan(milliseconds: lateness),
                                maxDerivation: maxDerivation)
        var out: [Event] = []
        var late: [String] = []
        for e in events {
            // (`catch RuleEngine.Rejection.late` crashes the Swift 6.3 compiler.)
            switch Result(catching: { () throws(RuleEngine.Rejection) in try engine.process(e) }) {
            case .success(let emitted): out += emitted
            case .failure(.late): late.append(e.id)
            case .failure(let other): throw other
            }
        }
        out += engine.finish(flush: flush)
        return (out, late, engine)
    }

    /// `type data` per emitted event, the data as compact JSON.
    static func lines(_ events: [Event]) -> [String] {
        events.map { e in
            var text = ""
            if let d = e.data {
                var w = JSONWriter(capacity: 64)
                w.write(d)
                text = String(decoding: w.bytes, as: UTF8.self)
            }
            return "\(e.type) \(text)"
        }
    }
}

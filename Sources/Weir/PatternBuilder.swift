/// A PATTERN declaration built in Swift, step by step, as Flink's Pattern API builds one:
///
/// ```swift
/// let fraud = Pattern("potential_fraud")
///     .partition(by: "data.userId")
///     .match("login", "user.login", where: "data.loginAttempts >= 5")
///     .then("tx", "transaction.initiated", where: "data.amount > 5000", within: .minutes(10))
///     .then("moved", "user.location-changed",
///           where: "distance(data.location, login.data.location) > 1000", within: .minutes(15))
///     .afterMatch(.skipPastLastEvent)
///     .emit("fraud.potential-detected", ["userId": "login.data.userId", "events": "[login.id, tx.id, moved.id]"])
/// let rules = try RuleSet(patterns: [fraud])
/// ```
///
/// Conditions and values are expressions of the rule language, as strings. The builder writes
/// the declaration's rule text (`ruleText`) and compiles that, so a pattern built in Swift is
/// exactly the pattern its text declares: the same checks, the same diagnostics (which quote
/// the written text), the same plan. Print `ruleText` to see or keep what was built.
public struct Pattern: Sendable, Hashable {
    /// The declaration's name.
    public let name: String
    private var header: [String] = []
    private var steps: [String] = []
    private var tail: [String] = []

    /// A pattern named `name` (a word: letters, digits and `_`); add its steps with `match`,
    /// then `then`, `next`, `thenAny`, `thenNot`.
    public init(_ name: String) {
        self.name = name
    }

    /// How many events a step binds.
    public enum Quantifier: Sendable, Hashable {
        /// `{n}`.
        case exactly(Int)
        /// `{n,m}`.
        case between(Int, Int)
        /// `{n,}`.
        case atLeast(Int)
        /// `+`: one or more.
        case oneOrMore
        /// `?`: zero or one.
        case optional

        var text: String {
            switch self {
            case .exactly(let n): return "{\(n)}"
            case .between(let n, let m): return "{\(n),\(m)}"
            case .atLeast(let n): return "{\(n),}"
            case .oneOrMore: return "+"
            case .optional: return "?"
            }
        }
    }

    /// What happens to a partition's other runs after a match.
    public enum AfterMatch: Sendable, Hashable {
        /// Other runs go on (the default).
        case skipToNext
        /// Every other run of the partition is dropped.
        case skipPastLastEvent
    }

    /// `PARTITION BY expression`: one automaton per value.
    public func partition(by expression: String) -> Pattern { adding(header: "PARTITION BY \(expression)") }

    /// The whole-match window: the last event's time minus the first's is at most `span`.
    public func within(_ span: TimeSpan) -> Pattern { adding(header: "WITHIN \(Pattern.duration(span))") }

    /// `MAX RUNS n`: the most live runs of one partition.
    public func maxRuns(_ n: Int) -> Pattern { adding(header: "MAX RUNS \(n)") }

    /// The first step: every event of `type` for which `condition` holds starts a run.
    public func match(_ alias: String, _ type: String, _ quantifier: Quantifier? = nil, where condition: String? = nil,
                      within span: TimeSpan? = nil) -> Pattern {
        adding(step: "MATCH", alias, type, quantifier, condition, span)
    }

    /// `THEN`: the first qualifying event after the previous step (others in between are ignored).
    public func then(_ alias: String, _ type: String, _ quantifier: Quantifier? = nil, where condition: String? = nil,
                     within span: TimeSpan? = nil) -> Pattern {
        adding(step: "THEN", alias, type, quantifier, condition, span)
    }

    /// `NEXT`: the partition's very next event.
    public func next(_ alias: String, _ type: String, _ quantifier: Quantifier? = nil, where condition: String? = nil,
                     within span: TimeSpan? = nil) -> Pattern {
        adding(step: "NEXT", alias, type, quantifier, condition, span)
    }

    /// `THEN ANY`: every qualifying event after the previous step (needs `maxRuns`).
    public func thenAny(_ alias: String, _ type: String, _ quantifier: Quantifier? = nil, where condition: String? = nil,
                        within span: TimeSpan? = nil) -> Pattern {
        adding(step: "THEN ANY", alias, type, quantifier, condition, span)
    }

    /// `THEN NOT`: no such event between the steps around it; as the last step, its absence
    /// within `span` completes the match.
    public func thenNot(_ alias: String, _ type: String, where condition: String? = nil, within span: TimeSpan? = nil) -> Pattern {
        adding(step: "THEN NOT", alias, type, nil, condition, span)
    }

    /// `AFTER MATCH SKIP ...`.
    public func afterMatch(_ strategy: AfterMatch) -> Pattern {
        adding(tail: strategy == .skipToNext ? "AFTER MATCH SKIP TO NEXT" : "AFTER MATCH SKIP PAST LAST EVENT")
    }

    /// An `EMIT` branch: an event of `type` whose data has these fields (name, expression),
    /// in order; with `when`, only when it holds. Branches are tried in the order added; the
    /// first that holds emits.
    public func emit(_ type: String, _ fields: KeyValuePairs<String, String>, when condition: String? = nil) -> Pattern {
        adding(tail: "EMIT " + Pattern.quoted(type) + " " + Pattern.object(fields) + (condition.map { " WHEN \($0)" } ?? ""))
    }

    /// An `ON TIMEOUT EMIT` branch: what a run that expired emits (the aliases it bound are
    /// readable; the others are missing).
    public func onTimeoutEmit(_ type: String, _ fields: KeyValuePairs<String, String>, when condition: String? = nil) -> Pattern {
        adding(tail: "ON TIMEOUT EMIT " + Pattern.quoted(type) + " " + Pattern.object(fields) + (condition.map { " WHEN \($0)" } ?? ""))
    }

    /// The declaration as rule text.
    public var ruleText: String {
        (["PATTERN \(name)"] + header + steps + tail).joined(separator: "\n  ") + "\n"
    }

    private func adding(header line: String) -> Pattern {
        var copy = self
        copy.header.append(line)
        return copy
    }

    private func adding(tail line: String) -> Pattern {
        var copy = self
        copy.tail.append(line)
        return copy
    }

    private func adding(
        step keyword: String, _ alias: String, _ type: String, _ quantifier: Quantifier?, _ condition: String?, _ span: TimeSpan?
    ) -> Pattern {
        var line = "\(keyword) \(alias): \(Pattern.quoted(type))\(quantifier?.text ?? "")"
        if let condition { line += " WHERE \(condition)" }
        if let span { line += " WITHIN \(Pattern.duration(span))" }
        var copy = self
        copy.steps.append(line)
        return copy
    }

    /// `'text'` with `'` and `\` escaped.
    static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }

    /// `{ 'name': expression, ... }`.
    static func object(_ fields: KeyValuePairs<String, String>) -> String {
        "{ " + fields.map { "\(quoted($0.key)): \($0.value)" }.joined(separator: ", ") + " }"
    }

    /// A duration literal: whole milliseconds (`600000ms`), or 0 written as `0ms` (refused by
    /// the checker, which then says why).
    static func duration(_ span: TimeSpan) -> String { "\(span.milliseconds)ms" }
}

extension TimeSpan {
    /// `n` milliseconds.
    public static func milliseconds(_ n: Int64) -> TimeSpan { TimeSpan(milliseconds: n) }
    /// `n` seconds (saturating at the largest span).
    public static func seconds(_ n: Int64) -> TimeSpan { scaled(n, 1000) }
    /// `n` minutes (saturating at the largest span).
    public static func minutes(_ n: Int64) -> TimeSpan { scaled(n, 60_000) }
    /// `n` hours (saturating at the largest span).
    public static func hours(_ n: Int64) -> TimeSpan { scaled(n, 3_600_000) }

    private static func scaled(_ n: Int64, _ unit: Int64) -> TimeSpan {
        let (ms, overflow) = n.multipliedReportingOverflow(by: unit)
        return TimeSpan(milliseconds: overflow ? (n < 0 ? .min : .max) : ms)
    }
}

extension RuleSet {
    /// Compiles patterns built in Swift (in order), as the rule text each writes.
    /// - Throws: `RuleCompileError`, its diagnostics quoting that text (named `<pattern NAME>`).
    public init(patterns: [Pattern]) throws(RuleCompileError) {
        try self.init(sources: patterns.map { SourceFile(name: "<pattern \($0.name)>", text: $0.ruleText) })
    }
}

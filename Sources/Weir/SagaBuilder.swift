/// A SAGA declaration built in Swift, step by step; like `Pattern`, it writes the
/// declaration's rule text (`ruleText`) and compiles that, so a built saga is exactly the saga its
/// text declares (the same checks, diagnostics, plan and histories).
///
/// ```swift
/// let fulfillment = Saga("order_fulfillment")
///     .start(on: "order.placed", as: "order")
///     .key("order.data.orderId")
///     .timeout(.minutes(5))
///     .step("reserve_inventory", send: "inventory.reserve", ["orderId": "order.data.orderId"],
///           await: .init("inventory.reserved", within: .seconds(30)),
///           compensate: .init("inventory.release", ["orderId": "order.data.orderId"]))
///     .onComplete(emit: "order.fulfilled", ["orderId": "order.data.orderId"])
/// let rules = try RuleSet(sagas: [fulfillment])
/// ```
public struct Saga: Sendable, Hashable {
    /// The declaration's name.
    public let name: String
    private var lines: [String] = []

    /// A saga named `name`; add `start`, `key`, then its steps.
    public init(_ name: String) {
        self.name = name
    }

    /// A reply: `AWAIT 'type' [AS alias] [WHERE cond] [WITHIN d]` or `FAIL ON 'type' [WHERE cond]`.
    public struct Reply: Sendable, Hashable {
        let type: String
        let alias: String?
        let condition: String?
        let within: TimeSpan?

        /// `alias` and `within` apply to `AWAIT` only.
        public init(_ type: String, as alias: String? = nil, where condition: String? = nil, within: TimeSpan? = nil) {
            self.type = type
            self.alias = alias
            self.condition = condition
            self.within = within
        }

        var awaitText: String {
            var text = "AWAIT " + Pattern.quoted(type)
            if let alias { text += " AS \(alias)" }
            if let condition { text += " WHERE \(condition)" }
            if let within { text += " WITHIN \(Pattern.duration(within))" }
            return text
        }

        var failText: String { "FAIL ON " + Pattern.quoted(type) + (condition.map { " WHERE \($0)" } ?? "") }
    }

    /// `RETRY n EVERY d [BACKOFF f] [MAX m]`.
    public struct Retry: Sendable, Hashable {
        let count: Int
        let every: TimeSpan
        let backoff: Double?
        let max: TimeSpan?

        public init(_ count: Int, every: TimeSpan, backoff: Double? = nil, max: TimeSpan? = nil) {
            self.count = count
            self.every = every
            self.backoff = backoff
            self.max = max
        }

        var text: String {
            var text = "RETRY \(count) EVERY \(Pattern.duration(every))"
            if let backoff { text += " BACKOFF \(backoff)" }
            if let max { text += " MAX \(Pattern.duration(max))" }
            return text
        }
    }

    /// `COMPENSATE 'type' { ... } [AWAIT ...]`.
    public struct Compensation: Sendable, Hashable {
        let type: String
        /// The command's data as an object literal.
        let object: String
        let confirmation: Reply?

        public init(_ type: String, _ fields: KeyValuePairs<String, String>, await confirmation: Reply? = nil) {
            self.type = type
            object = Pattern.object(fields)
            self.confirmation = confirmation
        }
    }

    /// `START ON 'type' AS alias [WHERE cond]`.
    public func start(on type: String, as alias: String, where condition: String? = nil) -> Saga {
        adding("START ON \(Pattern.quoted(type)) AS \(alias)" + (condition.map { " WHERE \($0)" } ?? ""))
    }

    /// `KEY expression`: one instance per value.
    public func key(_ expression: String) -> Saga { adding("KEY \(expression)") }

    /// `TIMEOUT d`: the whole saga's deadline.
    public func timeout(_ span: TimeSpan) -> Saga { adding("TIMEOUT \(Pattern.duration(span))") }

    /// A `STEP`: its command, the reply it waits for, the replies that fail it, its retries and
    /// its compensation.
    public func step(
        _ name: String, send type: String, _ fields: KeyValuePairs<String, String>, await reply: Reply? = nil,
        failOn: [Reply] = [], retry: Retry? = nil, compensate: Compensation? = nil
    ) -> Saga {
        var copy = adding("STEP \(name)")
        copy.lines.append("  SEND " + Pattern.quoted(type) + " " + Pattern.object(fields))
        if let reply { copy.lines.append("  " + reply.awaitText) }
        for fail in failOn { copy.lines.append("  " + fail.failText) }
        if let retry { copy.lines.append("  " + retry.text) }
        if let compensate {
            copy.lines.append("  COMPENSATE " + Pattern.quoted(compensate.type) + " " + compensate.object
                + (compensate.confirmation.map { " " + $0.awaitText } ?? ""))
        }
        return copy
    }

    /// An `ON COMPLETE EMIT` branch.
    public func onComplete(emit type: String, _ fields: KeyValuePairs<String, String>, when condition: String? = nil) -> Saga {
        adding("ON COMPLETE EMIT " + Pattern.quoted(type) + " " + Pattern.object(fields) + (condition.map { " WHEN \($0)" } ?? ""))
    }

    /// An `ON FAILURE EMIT` branch (`error.message`, `error.kind`, `error.step`, `error.attempt`
    /// are readable).
    public func onFailure(emit type: String, _ fields: KeyValuePairs<String, String>, when condition: String? = nil) -> Saga {
        adding("ON FAILURE EMIT " + Pattern.quoted(type) + " " + Pattern.object(fields) + (condition.map { " WHEN \($0)" } ?? ""))
    }

    /// The declaration as rule text.
    public var ruleText: String {
        (["SAGA \(name)"] + lines).joined(separator: "\n  ") + "\n"
    }

    private func adding(_ line: String) -> Saga {
        var copy = self
        copy.lines.append(line)
        return copy
    }
}

extension RuleSet {
    /// Compiles sagas built in Swift (in order), as the rule text each writes.
    /// - Throws: `RuleCompileError`, its diagnostics quoting that text (named `<saga NAME>`).
    public init(sagas: [Saga]) throws(RuleCompileError) {
        try self.init(sources: sagas.map { SourceFile(name: "<saga \($0.name)>", text: $0.ruleText) })
    }

    /// Compiles patterns and sagas built in Swift, the patterns first.
    public init(patterns: [Pattern], sagas: [Saga]) throws(RuleCompileError) {
        try self.init(sources: patterns.map { SourceFile(name: "<pattern \($0.name)>", text: $0.ruleText) }
            + sagas.map { SourceFile(name: "<saga \($0.name)>", text: $0.ruleText) })
    }
}

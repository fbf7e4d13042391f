extension RuleFile {
    /// A deterministic dump of every declaration, for golden tests and `--dump-ast`: one
    /// line per declaration and clause with the `line:column` where it starts, expressions
    /// dumped below their clause (see `Expr.dump(in:)`):
    ///
    ///     rule high_value_us @1:1 first-match
    ///       on 'order.created' @2:6
    ///       where
    ///         binary greater @3:9
    ///           path data.totalAmount @3:9
    ///           integer 1000 @3:28
    ///       emit 'order.high-value' @4:3
    ///         object 1 @4:21
    ///           field orderId @4:23
    ///             path data.orderId @4:32
    ///
    /// A PATTERN dumps its header, then each step as `match|then|next|then any|then not
    /// alias 'type' [{min,max}] @L:C` with its `where` and `within` below, then `after match
    /// ...`, its `emit` and `on timeout emit` branches (durations in ms; `+` is `{1,}`, `?`
    /// is `{0,1}`). A SAGA dumps `start on`, `key`, `timeout`, each step with its `send`,
    /// `await`, `fail on`, `retry` and `compensate` (its `await` below it), then its `on
    /// complete emit` and `on failure emit` branches. No final newline.
    public func dump() -> String {
        var lines: [String] = []
        for declaration in declarations { declaration.dump(in: source, into: &lines) }
        return lines.joined(separator: "\n")
    }
}

extension Declaration {
    /// Appends the dump of this declaration (see `RuleFile.dump()`).
    package func dump(in source: SourceFile, into lines: inout [String]) {
        func at(_ range: SourceRange) -> String { " @" + source.position(of: range.start) }
        func expression(_ label: String, _ expr: Expr?) {
            guard let expr else { return }
            lines.append("  " + label)
            expr.dump(in: source, indent: 2, into: &lines)
        }
        func emit(_ clause: EmitClause, _ label: String = "emit") {
            lines.append("  \(label) " + Expr.quoted(clause.type) + at(clause.range))
            clause.template.dump(in: source, indent: 2, into: &lines)
            if let when = clause.when {
                lines.append("    when")
                when.dump(in: source, indent: 3, into: &lines)
            }
        }
        switch self {
        case .rule(let rule):
            lines.append("rule " + rule.name.text + at(rule.range) + (rule.emitAll ? " emit-all" : " first-match"))
            for pattern in rule.on { lines.append("  on " + pattern.dumpText + at(pattern.range)) }
            expression("where", rule.whereClause)
            for clause in rule.emits { emit(clause) }
        case .aggregate(let aggregate):
            lines.append("aggregate " + aggregate.name.text + at(aggregate.range))
            for pattern in aggregate.on { lines.append("  on " + pattern.dumpText + at(pattern.range)) }
            expression("where", aggregate.whereClause)
            expression("group by", aggregate.groupBy)
            lines.append("  window " + aggregate.window.dumpText + at(aggregate.windowRange))
            expression("having", aggregate.having)
            emit(aggregate.emit)
        case .saga(let saga):
            saga.dump(in: source, into: &lines)
        case .pattern(let pattern):
            lines.append("pattern " + pattern.name.text + at(pattern.range) + (pattern.emitAll ? " emit-all" : " first-match"))
            expression("partition by", pattern.partitionBy)
            if let within = pattern.within { lines.append("  within \(within.milliseconds)ms" + at(within.range)) }
            if let maxRuns = pattern.maxRuns { lines.append("  max runs \(maxRuns.value)" + at(maxRuns.range)) }
            for step in pattern.steps {
                var line = "  " + step.contiguity.dumpText + " " + step.alias.text + " " + step.type.dumpText
                if let quantifier = step.quantifier { line += " " + quantifier.dumpText }
                lines.append(line + at(step.range))
                if let condition = step.whereClause {
                    lines.append("    where")
                    condition.dump(in: source, indent: 3, into: &lines)
                }
                if let within = step.within { lines.append("    within \(within.milliseconds)ms" + at(within.range)) }
            }
            if let range = pattern.afterMatchRange {
                lines.append("  after match " + (pattern.afterMatch == .skipToNext ? "skip to next" : "skip past last event") + at(range))
            }
            for clause in pattern.emits { emit(clause) }
            for clause in pattern.onTimeout { emit(clause, "on timeout emit") }
        }
    }
}

extension SagaDeclaration {
    /// Appends the dump of this saga (see `RuleFile.dump()`).
    func dump(in source: SourceFile, into lines: inout [String]) {
        func at(_ range: SourceRange) -> String { " @" + source.position(of: range.start) }
        func pad(_ indent: Int) -> String { String(repeating: "  ", count: indent) }
        func condition(_ label: String, _ expr: Expr?, _ indent: Int) {
            guard let expr else { return }
            lines.append(pad(indent) + label)
            expr.dump(in: source, indent: indent + 1, into: &lines)
        }
        func command(_ label: String, _ clause: EmitClause, _ indent: Int) {
            lines.append(pad(indent) + label + " " + Expr.quoted(clause.type) + at(clause.range))
            clause.template.dump(in: source, indent: indent + 1, into: &lines)
            condition("when", clause.when, indent + 1)
        }
        func reply(_ label: String, _ reply: SagaReply, _ indent: Int) {
            lines.append(pad(indent) + label + " " + reply.type.dumpText + (reply.alias.map { " as " + $0.text } ?? "") + at(reply.range))
            condition("where", reply.whereClause, indent + 1)
            if let within = reply.within { lines.append(pad(indent + 1) + "within \(within.milliseconds)ms" + at(within.range)) }
        }
        lines.append("saga " + name.text + at(range))
        lines.append("  start on " + start.type.dumpText + " as " + start.alias.text + at(start.range))
        condition("where", start.whereClause, 2)
        condition("key", key, 1)
        if let timeout { lines.append("  timeout \(timeout.milliseconds)ms" + at(timeout.range)) }
        for step in steps {
            lines.append("  step " + step.name.text + at(step.range))
            command("send", step.send, 2)
            if let awaiting = step.awaiting { reply("await", awaiting, 2) }
            for failure in step.failOn { reply("fail on", failure, 2) }
            if let retry = step.retry { lines.append("    " + retry.dumpText + at(retry.range)) }
            if let compensate = step.compensate {
                command("compensate", compensate.send, 2)
                if let awaiting = compensate.awaiting { reply("await", awaiting, 3) }
            }
        }
        for branch in onComplete { command("on complete emit", branch, 1) }
        for branch in onFailure { command("on failure emit", branch, 1) }
    }
}

extension SagaRetry {
    /// `retry 3 every 1000ms backoff 2 max 30000ms` (a whole factor without `.0`).
    var dumpText: String {
        var text = "retry \(count) every \(every.milliseconds)ms"
        if let backoff {
            text += " backoff " + (backoff == backoff.rounded() && abs(backoff) < 1e15 ? String(Int64(backoff)) : String(backoff))
        }
        if let max { text += " max \(max.milliseconds)ms" }
        return text
    }
}

extension EventTypePattern {
    /// `'order.created'`, `'order.*'`, `'*'`: as written (for messages and traces too).
    package var dumpText: String {
        switch kind {
        case .exact(let type): return Expr.quoted(type)
        case .prefix(let prefix): return Expr.quoted(prefix + "*")
        case .any: return "'*'"
        }
    }
}

extension PatternStep.Contiguity {
    /// `match`, `then`, `next`, `then any`, `then not`.
    var dumpText: String {
        switch self {
        case .first: return "match"
        case .then: return "then"
        case .next: return "next"
        case .thenAny: return "then any"
        case .thenNot: return "then not"
        }
    }
}

extension PatternStep.Quantifier {
    /// `{3}`, `{1,5}`, `{2,}` (`+` is `{1,}`, `?` is `{0,1}`).
    var dumpText: String {
        guard let max else { return "{\(min),}" }
        return max == min ? "{\(min)}" : "{\(min),\(max)}"
    }
}

extension WindowClause {
    /// `tumbling 3600000ms`, `sliding 600000ms every 300000ms`, `session gap 1800000ms`.
    var dumpText: String {
        switch self {
        case .tumbling(let size): return "tumbling \(size.milliseconds)ms"
        case .sliding(let size, let every): return "sliding \(size.milliseconds)ms every \(every.milliseconds)ms"
        case .session(let gap): return "session gap \(gap.milliseconds)ms"
        }
    }
}

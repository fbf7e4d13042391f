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
    /// No final newline.
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
        func emit(_ clause: EmitClause) {
            lines.append("  emit " + Expr.quoted(clause.type) + at(clause.range))
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
        case .pattern(let pattern):
            lines.append("pattern " + pattern.name.text + at(pattern.range))
        }
    }
}

extension EventTypePattern {
    /// `'order.created'`, `'order.*'`, `'*'`.
    var dumpText: String {
        switch kind {
        case .exact(let type): return Expr.quoted(type)
        case .prefix(let prefix): return Expr.quoted(prefix + "*")
        case .any: return "'*'"
        }
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

import WeirSyntax

/// Every message text the compiler reports, together (lower case, code in single quotes).
enum CompilerMessages {
    static func unknownFunction(_ name: String) -> String { "unknown function '\(name)'" }
    static let noNow =
        "there is no 'now()': rules depend on event time only (read 'time', or compare with time_before/time_after)"
    static func didYouMean(_ name: String) -> String { "did you mean '\(name)'?" }
    static func wrongArity(_ name: String, _ expected: String, _ got: Int) -> String {
        "function '\(name)' takes \(expected), not \(got)"
    }
    static let missingFunctionAtRuntime =
        "every evaluation of this call returns false with a missingFunction error, as CloudEvents SQL specifies"
    static func invalidRegex(_ message: String) -> String { "invalid regular expression: \(message)" }
    static let regexBackreference =
        "backreferences are not allowed in MATCHES patterns (they can take exponential time)"
    static func regexTooLong(_ limit: Int) -> String { "regular expression longer than \(limit) bytes" }
    static func likeTooComplex(_ limit: Int) -> String {
        "a part of a 'LIKE' pattern between two '%' that has '_' between other characters may be at most \(limit) characters long"
    }
    static func notAnObject(_ root: String) -> String {
        "'\(root)' is a string attribute; it has no fields (did you mean 'data.…'?)"
    }
    static func alwaysFails(_ kind: String) -> String { "this expression always fails with a \(kind) error" }
    static func notANumber(_ text: String, _ op: String) -> String {
        "\(text) is not a number, so '\(op)' always fails with a cast error"
    }
    static func notABoolean(_ text: String, _ op: String) -> String {
        "\(text) is not a Boolean, so '\(op)' always fails with a cast error"
    }
    static let existsNeedsName = "EXISTS needs an attribute name or a path"
    static let inNeedsPath = "the right side of IN must be a parenthesised list or a path to an array"

    static func cannotCast(_ value: String, to type: String) -> String { "cast error: cannot cast \(value) to \(type)" }
    static func notAnArray(_ value: String) -> String { "cast error: \(value) is not an array, so 'IN' cannot look into it" }

    // MARK: Hints

    static let nullIsAName =
        "'null' is an attribute name in CloudEvents SQL, not a null value: this compares with an attribute called 'null'"
    /// `test`: the test to write instead (`NOT EXISTS data.x`), if the compared operand is a name or path.
    static func nullHint(_ test: String?) -> String {
        test.map { "to test whether a value is absent, write '\($0)'" }
            ?? "to test whether a value is absent, use 'NOT EXISTS' with its attribute or path"
    }

    static func timeComparedAsNumber(_ op: String) -> String {
        "'time' is an RFC 3339 string and '\(op)' compares numbers, so this always fails with a cast error"
    }

    /// `function`: TIME_AFTER or TIME_BEFORE with its arguments; `millis`: the same comparison with UNIX_MILLIS.
    static func timeComparisonHint(_ function: String, _ millis: String) -> String {
        "to compare times, write '\(function)' or '\(millis)'"
    }

    static func notATimestamp(_ value: String, _ function: String) -> String {
        "\(value) is not an RFC 3339 timestamp, so '\(function)' always fails with a functionEvaluation error"
    }

    static func timestampHint(_ example: String) -> String {
        "an RFC 3339 timestamp has a date, a time and an offset: '\(example)'"
    }
}

/// Messages about names and declarations in rule files.
extension CompilerMessages {
    static func unknownAlias(_ name: String) -> String { "unknown alias '\(name)'" }
    static let keyWithoutGroupBy = "this AGGREGATE has no GROUP BY, so 'key' is always missing"
    static let windowNeedsField = "'window' has two fields: 'window.start' and 'window.end'"
    static func windowNameOutsideAggregate(_ name: String) -> String {
        "'\(name)' is only defined in an AGGREGATE's HAVING and EMIT"
    }
    static func windowNameInAggregate(_ name: String, _ aggregate: String) -> String {
        "'\(name)' cannot be read inside '\(aggregate)(...)': an aggregate's argument reads each event"
    }
    static func readOutsideAggregate(_ text: String) -> String {
        "'\(text)' is read outside an aggregate; use first(...), last(...) or GROUP BY it"
    }
    static func nestedAggregate(_ inner: String, _ outer: String) -> String {
        "aggregates cannot be nested: '\(inner)(...)' inside '\(outer)(...)'"
    }
    static func aggregateOutsideFire(_ name: String) -> String {
        "aggregate '\(name)(...)' is only allowed in an AGGREGATE's HAVING and EMIT"
    }
    static func aggregateArity(_ name: String, _ got: Int) -> String {
        name == "count" ? "aggregate 'count' takes no argument or one, not \(got)"
            : "aggregate '\(name)' takes exactly one argument, not \(got)"
    }
    static func duplicateDeclaration(_ name: String) -> String { "a declaration named '\(name)' already exists" }
    static let firstDeclaredHere = "first declared here"
    static func neverBoolean(_ clause: String, _ type: String) -> String {
        "this \(clause) condition is \(type), never a Boolean, so it never holds"
    }
    static func durationNotPositive(_ what: String) -> String { "the \(what) must be greater than zero" }
    static func stepLargerThanSize(_ every: String, _ size: String) -> String {
        "the SLIDING step (\(every)) is larger than the window (\(size)): some events would fall into no window"
    }
    static func tooManyWindows(_ count: Int64, _ limit: Int) -> String {
        "each event would fall into \(count) windows (more than \(limit)); make the step larger"
    }
}

/// Messages about a PATTERN's aliases.
extension CompilerMessages {
    static func aliasReadWhole(_ name: String, current: Bool) -> String {
        current
            ? "'\(name)' is the event this step tests; read one of its fields ('\(name).data.x', '\(name).id')"
            : "alias '\(name)' is an event; read one of its fields ('\(name).data.x', '\(name).id')"
    }
    static func quantifiedReadAsSingle(_ name: String, _ quantifier: String) -> String {
        "'\(name)' is quantified (\(quantifier)) and binds several events; read it with an aggregate: 'count(\(name))', 'last(\(name)).data.x', 'sum(\(name).data.x)'"
    }
    static func optionalAliasRead(_ name: String) -> String {
        "'\(name)' is optional and may be unbound here; read it with 'count(\(name))' or 'last(\(name)).data.x', or in ON TIMEOUT EMIT"
    }
    static func aggregateOverSingle(_ function: String, _ name: String) -> String {
        "'\(function)' needs a quantified alias; '\(name)' binds one event: read '\(name).data.x' directly"
    }
    static func aggregateNeedsField(_ function: String, _ name: String) -> String {
        function == "first" || function == "last"
            ? "'\(function)(\(name))' is an event; read one of its fields: '\(function)(\(name)).data.x'"
            : "'\(function)' needs a field of '\(name)': '\(function)(\(name).data.x)'"
    }
    static func aggregateNeedsAlias(_ function: String, _ example: String?) -> String {
        "in a PATTERN, '\(function)' aggregates a quantified alias: '\(function)(\(example ?? "fails").data.x)'"
    }
    static func patternCountNeedsAlias(_ example: String?) -> String {
        "in a PATTERN, 'count' counts a quantified alias's events: 'count(\(example ?? "fails"))'"
    }
    static func aggregateReadsOneAlias(_ aggregated: String, _ other: String) -> String {
        "an aggregate over '\(aggregated)' reads only '\(aggregated)'s events, not '\(other)'"
    }
    static func aliasInPartition(_ name: String) -> String {
        "PARTITION BY is read on each event before any run exists, so it cannot read alias '\(name)'"
    }
    static func negatedAliasRead(_ name: String) -> String {
        "'\(name)' is a negated step: it never binds an event, so it cannot be read outside its own WHERE"
    }
    static func laterAliasRead(_ name: String, _ step: String) -> String {
        "'\(name)' is bound after step '\(step)'; a condition may only read aliases bound before it"
    }
    static func tooManySteps(_ count: Int, _ limit: Int) -> String {
        "a PATTERN has at most \(limit) steps; this one has \(count)"
    }
    static func completesOnlyAtDeadline(_ alias: String) -> String {
        "step '\(alias)' may take more events or none, so a run waiting on it completes only when its window passes; '\(alias)' has no WITHIN (nor has the pattern, before MATCH), so such a run would never complete"
    }
    static func aliasNotYetBound(_ name: String, _ position: String) -> String {
        "'\(name)' is not bound yet when \(position) is sent; a command may only read aliases bound before it"
    }
    static let errorOutsideOnFailure = "'error' is only defined in a SAGA's ON FAILURE EMIT"
    static let errorFields = "'error' has four fields: 'error.message', 'error.kind', 'error.step' and 'error.attempt'"
    static func tooManySagaSteps(_ count: Int, _ limit: Int) -> String {
        "a SAGA has at most \(limit) steps; this one has \(count)"
    }
    static let aliasNeedsField = "read a field of the alias: 'login.data.userId', 'login.id'"
    static func noCurrentEventInPatternEmit(_ text: String, _ example: String) -> String {
        "a PATTERN's EMIT has no current event, so '\(text)' cannot be read; read it through an alias: '\(example)'"
    }
}

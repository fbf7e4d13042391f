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
    static func notSupportedYet(_ what: String) -> String { "\(what) are not supported here yet" }
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

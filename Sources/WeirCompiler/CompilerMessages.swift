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
}

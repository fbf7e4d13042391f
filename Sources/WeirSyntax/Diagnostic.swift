/// A problem found in source text: data, rendered late (see `DiagnosticRenderer`).
public struct Diagnostic: Hashable, Sendable {
    public enum Severity: String, Hashable, Sendable {
        case error, warning, note
    }

    /// What kind of problem, for tests and tools; stable across message rewordings.
    public enum Code: String, Hashable, Sendable {
        /// Lexing and parsing (CESQL's ParseError).
        case syntax
        /// Input too deeply nested or too large to compile.
        case limit
        /// A function that does not exist, or not with this many arguments (CESQL's MissingFunctionError).
        case unknownFunction
        /// An invalid regular expression, LIKE pattern, path or literal.
        case invalidPattern
        /// A type error that is certain at compile time (CESQL's CastError on constants).
        case type
        /// Evaluation of a constant sub-expression always fails (math, cast, function errors).
        case constantError
        /// Allowed, but likely not what was meant (mixed AND/OR without parentheses, ...).
        case lint
        /// A Weir extension used in `--dialect cesql`.
        case dialect
        /// Where an evaluation failed on a given event (not a compile-time problem).
        case runtime
        /// A name not in scope where it is written (rule files: an unknown alias, `key` outside
        /// an AGGREGATE's HAVING and EMIT, the event read outside an aggregate).
        case unknownName
        /// A declaration that cannot run as written (duplicate name, bad window, a condition
        /// that is never Boolean, a misplaced aggregate).
        case declaration
    }

    public struct Note: Hashable, Sendable {
        public var message: String
        public var range: SourceRange?

        public init(_ message: String, range: SourceRange? = nil) {
            self.message = message
            self.range = range
        }
    }

    public var severity: Severity
    public var code: Code
    public var message: String
    public var range: SourceRange
    public var notes: [Note]

    public init(_ severity: Severity, _ code: Code, _ message: String, at range: SourceRange, notes: [Note] = []) {
        self.severity = severity
        self.code = code
        self.message = message
        self.range = range
        self.notes = notes
    }

    public static func error(_ code: Code, _ message: String, at range: SourceRange, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.error, code, message, at: range, notes: notes)
    }

    public static func warning(_ code: Code, _ message: String, at range: SourceRange, notes: [Note] = []) -> Diagnostic {
        Diagnostic(.warning, code, message, at: range, notes: notes)
    }

    public var isError: Bool { severity == .error }
}

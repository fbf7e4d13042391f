import WeirCompiler
import WeirEngine
import WeirSyntax

/// Compiled rule files: every RULE, AGGREGATE, PATTERN and SAGA declaration, checked and ready to run. An
/// immutable, `Sendable` plan; run it with a `RuleEngine` (one per stream).
///
/// ```swift
/// let rules = try RuleSet(text: """
///     RULE high_value
///       ON 'order.created'
///       WHERE data.totalAmount > 1000
///       EMIT 'order.high-value' { orderId: data.orderId }
///     """)
/// rules.declarationNames   // ["high_value"]
/// ```
public struct RuleSet: Sendable {
    let plan: RuleSetPlan
    /// Warnings of files that compiled, per file.
    public let warnings: [FileDiagnostics]

    /// Compiles rule text (`name` is what diagnostics print as its file name).
    /// - Throws: `RuleCompileError` with every problem found, when there is any error.
    public init(text: String, name: String = "<rules>") throws(RuleCompileError) {
        try self.init(sources: [SourceFile(name: name, text: text)])
    }

    /// Reads and compiles rule files, in order (their declarations react in that order).
    /// - Throws: `RuleCompileError`, also when a file cannot be read or is larger than 16 MiB.
    public init(paths: [String]) throws(RuleCompileError) {
        var sources: [SourceFile] = []
        for path in paths {
            do {
                sources.append(SourceFile(name: path, text: try TextFile.read(path: path, maxBytes: RuleSet.maxFileBytes)))
            } catch {
                throw RuleCompileError(files: [], unreadable: [(path, error.description)])
            }
        }
        try self.init(sources: sources)
    }

    /// The largest rule file read: 16 MiB.
    public static let maxFileBytes = 16 << 20

    init(sources: [SourceFile]) throws(RuleCompileError) {
        // Parse on a thread with a large stack: expressions nest up to 256 levels.
        let parsed = LargeStack.run { sources.map { RuleFileParser.parseHere($0, options: .ruleFile) } }
        let (plan, diagnostics) = RuleCompiler.compile(parsed: parsed.map(\.file), parseDiagnostics: parsed.map(\.diagnostics))
        let grouped = FileDiagnostics.group(diagnostics, sources: sources)
        guard let plan, !diagnostics.joined().contains(where: \.isError) else {
            throw RuleCompileError(files: grouped, unreadable: [])
        }
        self.plan = plan
        warnings = grouped
    }

    /// The declarations' names, in the order they react to an event.
    public var declarationNames: [String] { plan.declarations.map(\.name) }
}

/// The diagnostics of one source file, rendered as a compiler prints them.
public struct FileDiagnostics: Sendable {
    /// The file.
    public let source: SourceFile
    /// Its diagnostics, in source order.
    public let diagnostics: [Diagnostic]

    /// `file:line:column: error: message`, the source line and a caret, for each.
    public var rendered: String { DiagnosticRenderer.render(diagnostics, in: source) }

    static func group(_ diagnostics: [[Diagnostic]], sources: [SourceFile]) -> [FileDiagnostics] {
        sources.enumerated().compactMap { i, source in
            let mine = i < diagnostics.count ? diagnostics[i] : []
            return mine.isEmpty ? nil : FileDiagnostics(source: source, diagnostics: mine)
        }
    }
}

/// Rule files that do not compile: every problem, per file.
public struct RuleCompileError: Error, Sendable, CustomStringConvertible {
    /// The diagnostics of each file that has some (warnings included).
    public let files: [FileDiagnostics]
    /// Files that could not be read, with the reason.
    public let unreadable: [(path: String, reason: String)]

    /// The number of errors.
    public var errorCount: Int {
        unreadable.count + files.reduce(0) { $0 + $1.diagnostics.filter(\.isError).count }
    }

    public var description: String {
        (unreadable.map { "\($0.path): error: \($0.reason)" } + files.map(\.rendered)).joined(separator: "\n")
    }
}

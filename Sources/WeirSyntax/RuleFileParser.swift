/// Parses a rule file: a list of RULE, AGGREGATE, PATTERN and SAGA declarations.
///
///     let source = SourceFile(name: "orders.rules", text: text)
///     let (file, diagnostics) = RuleFileParser.parse(source)
///     if diagnostics.contains(where: \.isError) {
///         print(DiagnosticRenderer.render(diagnostics, in: source))
///     }
///
/// The syntax is `Grammar/weir.ebnf`, section 3. Keywords are case-insensitive, names
/// case-sensitive; comments are `-- to the end of the line` (in a rule file `--` always starts
/// a comment, also when no space follows) and `/* block */`. Rule files are always read in the
/// Weir dialect (`options.dialect` is ignored): object literals, paths and durations are
/// their syntax.
///
/// Recovery is at declaration and clause boundaries: one typo gives one message, and the
/// declarations after it are still parsed. `file.declarations` holds the declarations that
/// parsed without error, in written order; a declaration with any error (a missing, repeated
/// or misplaced clause, a broken expression) is left out and its diagnostics say why.
/// Never traps, whatever the input: a file longer than `options.maxLength` (16 MiB for
/// `ParseOptions.ruleFile`) gets one `.limit` error and no declarations; an expression
/// nested deeper than `options.maxDepth` gets one `.limit` error and the parse goes on at
/// the next declaration. Declarations are read in a loop (no recursion over them), and the
/// recursive descent into expressions runs on a helper thread with a large stack, so the
/// caller may be on a thread with a small one.
public enum RuleFileParser {
    /// Parses `source` as a rule file; diagnostics are sorted by position.
    public static func parse(_ source: SourceFile, options: ParseOptions = .ruleFile) -> (file: RuleFile, diagnostics: [Diagnostic]) {
        LargeStack.run { parseHere(source, options: options) }
    }

    /// `parse(_:options:)` on the calling thread, for callers already on a `LargeStack`.
    package static func parseHere(_ source: SourceFile, options: ParseOptions) -> (file: RuleFile, diagnostics: [Diagnostic]) {
        var options = options
        options.dialect = .weir
        if let refusal = ExpressionParser.refusal(of: options) {
            return (RuleFile(source: source, declarations: []), [refusal])
        }
        guard source.bytes.count <= options.maxLength else {
            let message = DiagnosticMessages.ruleFileTooLong(source.bytes.count, limit: options.maxLength)
            return (RuleFile(source: source, declarations: []), [.error(.limit, message, at: SourceRange(at: 0))])
        }
        var parser = Parser(source: source, options: options, ruleFile: true)
        let declarations = parser.parseRuleFile()
        return (RuleFile(source: source, declarations: declarations), parser.sortedDiagnostics)
    }
}

extension ParseOptions {
    /// The settings for rule files: the Weir dialect, `maxDepth` 256, and files up to
    /// 16 MiB (a rule file may be generated, and is read once; an expression on a command
    /// line stays limited to 1 MiB).
    public static let ruleFile = ParseOptions(dialect: .weir, maxDepth: 256, maxLength: 16 << 20)
}

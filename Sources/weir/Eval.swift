import ArgumentParser
import Weir

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `weir eval EXPR`: evaluate one expression against every event of a stream.
struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate an expression against every event of a JSON Lines stream.",
        discussion: """
            Prints one result per event, in input order. Events come from --input FILE, or from \
            standard input when --input is '-' or absent.

            The expression language is CloudEvents SQL v1 plus Weir's extensions (use \
            --dialect cesql for pure CloudEvents SQL):
              attributes       id, type, source, subject, time, any extension: type = 'order.created'
              paths into data  data.shippingAddress.country, data.items[0].price, data['odd-key']
              operators        = != <> < <= > >= + - * / % AND OR XOR NOT, LIKE 'a%_', IN (...), EXISTS x
              extensions       == && || !, x MATCHES 'regex' (=~, !~), x IN data.list, EXISTS data.a.b,
                               64-bit integers and decimals (59.98)
              functions        LENGTH CONCAT CONCAT_WS LOWER UPPER TRIM LEFT RIGHT SUBSTRING ABS INT BOOL
                               STRING, and size distance coalesce starts_with ends_with contains round
                               floor ceil unix_millis time_diff time_add time_before time_after
                               duration_ms year month day hour minute second day_of_week

            Evaluation follows CloudEvents SQL: a value plus at most one error (missingAttribute, \
            cast, math, missingFunction, functionEvaluation, generic); on an error the value is \
            the zero value of the expression's type.

            Malformed lines (not JSON, not a CloudEvent, too long, too deep, invalid UTF-8) are \
            reported on standard error with their line number and reason, counted, written to \
            --dead-letter FILE if given (the original line and the reason, one JSON object per \
            line), and processing goes on.

            Exit status: 0 when the stream was processed (even with malformed lines), 1 when the \
            expression does not compile, 2 when an input or output cannot be opened, read or written.

            Examples:
              weir eval --input orders.jsonl "data.totalAmount > 1000"
              weir eval --count "data.email MATCHES '@corp\\.com$'" < events.jsonl
              weir eval --format json "coalesce(data.nick, data.name)" -i users.jsonl
              weir eval --dialect cesql "EXISTS subject AND type LIKE 'order.%'" -i e.jsonl
              weir eval --input events.jsonl -- '-data.n > 0'
              weir eval --explain --count "data.total > 10" -i events.jsonl   # why evaluations fail
            """
    )

    @Argument(help: "The expression. Use '--' before one that starts with '-': weir eval -- '-x > 0'.")
    var expression: String

    @Option(name: .shortAndLong, help: ArgumentHelp("Read events from FILE ('-' for standard input).", valueName: "file"))
    var input: String = "-"

    @Option(help: "'weir' (the default: CloudEvents SQL plus extensions) or 'cesql' (CloudEvents SQL v1 only).")
    var dialect: DialectOption = .weir

    @Option(help: "'text': each value as JSON, and '  (error: kind)' after it when evaluation failed; 'json': {\"value\": ..., \"error\": null or kind}.")
    var format: FormatOption = .text

    @Flag(help: "Print only the number of events for which the expression is true (with no error).")
    var count = false

    @Option(help: ArgumentHelp("Write each malformed line to FILE with the reason, as JSON Lines.", valueName: "file"))
    var deadLetter: String?

    @Flag(help: "For each event whose evaluation fails, say on standard error where in the expression and why.")
    var explain = false

    @Option(help: "Longest accepted line, in bytes.")
    var maxLineBytes: Int = 1 << 20

    @Option(help: "Deepest accepted nesting of arrays and objects in an event.")
    var maxDepth: Int = 64

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let stderr = OutputBuffer(fileDescriptor: 2, capacity: 4096)
        defer { try? stderr.flush() }
        let compiled: CompiledExpression
        do {
            compiled = try CompiledExpression(expression, dialect: dialect.dialect)
        } catch {
            try? stderr.write(error.description + "\n")
            throw ExitCode(1)
        }
        if !compiled.warnings.isEmpty { try? stderr.write(compiled.renderedWarnings + "\n") }

        let limits = IngestLimits(maxLineBytes: maxLineBytes, maxDepth: maxDepth)
        let inputName = input == "-" ? "<stdin>" : input
        do {
            let reader = input == "-" ? EventReader(fileDescriptor: 0, limits: limits) : try EventReader(path: input, limits: limits)
            let deadLetters = try deadLetter.map { path throws(IngestIOError) in try DeadLetterWriter(path: path) }
            let stdout = OutputBuffer(fileDescriptor: 1)
            let summary = try compiled.evaluate(
                stream: reader, format: count ? nil : format.format, output: count ? nil : stdout,
                explain: explain
                    ? { line, why in
                        try stderr.write("\(inputName):\(line): evaluation failed:\n\(compiled.render(why))\n")
                    } : nil,
                rejected: { bad in
                    try stderr.write("\(inputName):\(bad.line): error: \(bad.reason)\n")
                    try stderr.flush()
                    try deadLetters?.write(bad)
                })
            if count {
                try stdout.write("\(summary.matched)\n")
                // With --count the errors are otherwise invisible: a misspelt key gives 0.
                let failed = summary.errors.values.reduce(0, +)
                if failed > 0 {
                    let kinds = summary.errors.sorted { $0.key.rawValue < $1.key.rawValue }
                        .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    try stderr.write("weir: \(failed) of \(summary.events) evaluations failed (\(kinds)); they count as false\n")
                }
            }
            try stdout.flush()
            try deadLetters?.close()
            if let failure = reader.readError { throw failure }
            if summary.rejected > 0 {
                let lines = summary.rejected == 1 ? "1 malformed line" : "\(summary.rejected) malformed lines"
                let whereTo = deadLetter.map { " (written to \($0))" } ?? ""
                try stderr.write("weir: skipped \(lines) of \(summary.lines)\(whereTo)\n")
            }
        } catch let failure as IngestIOError {
            try? stderr.write("weir: \(failure)\n")
            throw ExitCode(2)
        }
    }
}

enum DialectOption: String, ExpressibleByArgument, CaseIterable {
    case weir, cesql
    var dialect: Dialect { self == .weir ? .weir : .cesql }
}

enum FormatOption: String, ExpressibleByArgument, CaseIterable {
    case text, json
    var format: ResultFormat { self == .text ? .text : .json }
}

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
            standard input when --input is '-' or absent. The expression is the argument, or the \
            text of --expression-file FILE.

            The expression language is CloudEvents SQL v1 plus Weir's extensions (use \
            --dialect cesql for pure CloudEvents SQL):
              attributes  id, type, source, subject, time, extensions: type = 'a.b'
              paths       data.address.country, data.items[0].price, data['odd-key']
              operators   = != <> < <= > >= + - * / % AND OR XOR NOT
                          LIKE 'a%_', IN (...), EXISTS x
              extensions  == && || !, x MATCHES 'regex' (=~, !~), x IN data.list,
                          EXISTS data.a.b, 64-bit integers, decimals (59.98)
              functions   LENGTH CONCAT CONCAT_WS LOWER UPPER TRIM LEFT RIGHT
                          SUBSTRING ABS INT BOOL STRING, and size distance
                          coalesce starts_with ends_with contains round floor
                          ceil unix_millis unix_seconds from_unix_millis
                          time_diff time_add time_before time_after
                          duration_ms year month day hour minute second
                          day_of_week

            Evaluation follows CloudEvents SQL: a value plus at most one error (parse, math, \
            cast, missingAttribute, missingFunction, functionEvaluation, generic); on an error \
            the value is the zero value of the expression's type.

            Malformed lines (not JSON, not a CloudEvent, too long, too deep, invalid UTF-8) are \
            reported on standard error with their line number and reason, counted, written to \
            --dead-letter FILE if given (the original line and the reason, one JSON object per \
            line), and processing goes on. An output that is the input file (or another \
            output's file) is refused before anything is opened.

            Exit status:
              0   the stream was processed (even with malformed lines), or standard
                  output was closed early (weir eval ... | head -1)
              1   the expression does not compile
              2   an input or output cannot be opened, read or written
              64  usage error: unknown option, invalid or out-of-range value

            Examples:
              weir eval --input orders.jsonl "data.totalAmount > 1000"
              weir eval --count "data.email MATCHES '@corp\\.com$'" < events.jsonl
              weir eval --format json "coalesce(data.nick, data.name)" -i users.jsonl
              weir eval --dialect cesql "EXISTS subject AND type LIKE 'order.%'"
              weir eval --input events.jsonl -- '-data.n > 0'
              weir eval -f filter.expr --input events.jsonl
              weir eval --explain --count "data.total > 10" -i events.jsonl
            """
    )

    @Argument(help: "The expression. Use '--' before one that starts with '-': weir eval -- '-x > 0'.")
    var expression: String?

    @Option(name: [.customShort("f"), .long], help: ArgumentHelp("Read the expression from FILE (at most 1 MiB).", valueName: "file"))
    var expressionFile: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Read events from FILE ('-' for standard input).", valueName: "file"))
    var input: String = "-"

    @Option(help: "'weir' (the default: CloudEvents SQL plus extensions) or 'cesql' (CloudEvents SQL v1 only).")
    var dialect: DialectOption = .weir

    @Option(help: "'text': each value as JSON, and '  (error: kind)' after it when evaluation failed; 'json': {\"value\": ..., \"error\": null or kind}. With --count: the number, or {\"count\": N, \"events\": N, \"failed\": N}.")
    var format: FormatOption = .text

    @Flag(help: "Print only the number of events for which the expression is true (with no error).")
    var count = false

    @Option(help: ArgumentHelp("Write each malformed line to FILE with the reason, as JSON Lines.", valueName: "file"))
    var deadLetter: String?

    @Flag(help: "For each event whose evaluation fails, say on standard error where in the expression and why.")
    var explain = false

    @Option(parsing: .unconditional, help: "Longest accepted line, in bytes: 1 to 1073741824 (1 GiB).")
    var maxLineBytes: Int = 1 << 20

    @Option(parsing: .unconditional, help: "Deepest accepted nesting of arrays and objects in an event, 1 to 65536: the event object is level 1, so {\"data\":{}} has depth 1 and {\"data\":{\"a\":1}} depth 2.")
    var maxDepth: Int = 64

    func validate() throws {
        switch (expression, expressionFile) {
        case (nil, nil): throw ValidationError("Missing expression: give it as an argument or with --expression-file FILE.")
        case (.some, .some): throw ValidationError("Give the expression either as an argument or with --expression-file, not both.")
        default: break
        }
        if deadLetter == "-" {
            throw ValidationError("--dead-letter needs a file name ('-' is not one; use /dev/stderr for standard error).")
        }
        _ = try Validation.limits(maxLineBytes: maxLineBytes, maxDepth: maxDepth)
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let stderr = ErrorOutput()
        defer { stderr.flush() }

        let text: String
        let sourceName: String
        if let path = expressionFile {
            do {
                text = try TextFile.read(path: path, maxBytes: 1 << 20)
            } catch {
                stderr.write("weir: \(error)\n")
                throw ExitCode(2)
            }
            sourceName = path
        } else {
            text = expression ?? ""
            sourceName = "<expr>"
        }

        let compiled: CompiledExpression
        do {
            compiled = try CompiledExpression(text, dialect: dialect.dialect, name: sourceName)
        } catch {
            stderr.write(error.description + "\n")
            throw ExitCode(1)
        }
        if !compiled.warnings.isEmpty { stderr.write(compiled.renderedWarnings + "\n") }

        // validate() checked the values.
        let limits = try IngestLimits(maxLineBytes: maxLineBytes, maxDepth: maxDepth)
        let inputName = input == "-" ? "<stdin>" : input
        var deadLetters: DeadLetterWriter?
        let stdout = OutputBuffer(fileDescriptor: 1)
        do {
            // Refuse before anything is opened for writing: opening truncates.
            try FileIdentity.checkOutputs(deadLetter.map { [("--dead-letter", $0)] } ?? [], input: input == "-" ? nil : input)
            let reader = input == "-" ? EventReader(fileDescriptor: 0, limits: limits) : try EventReader(path: input, limits: limits)
            deadLetters = try deadLetter.map { path throws(IngestIOError) in try DeadLetterWriter(path: path) }
            let summary = try compiled.evaluate(
                stream: reader, format: count ? nil : format.format, output: count ? nil : stdout,
                explain: explain
                    ? { line, why in
                        stderr.write("\(inputName):\(line): evaluation failed:\n\(compiled.render(why))\n")
                    } : nil,
                rejected: { [deadLetters] bad in
                    stderr.write("\(inputName):\(bad.line): error: \(bad.reason)\n")
                    stderr.flush()
                    try deadLetters?.write(bad)
                })
            let failed = summary.errors.values.reduce(0, +)
            if count {
                switch format {
                case .text: try stdout.write("\(summary.matched)\n")
                case .json: try stdout.write("{\"count\": \(summary.matched), \"events\": \(summary.events), \"failed\": \(failed)}\n")
                }
                // With --count the errors are otherwise invisible: a misspelt key gives 0.
                if failed > 0 {
                    let kinds = summary.errors.sorted { $0.key.rawValue < $1.key.rawValue }
                        .map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                    stderr.write("weir: \(failed) of \(summary.events) evaluations failed (\(kinds)); they count as false\n")
                }
            }
            try stdout.flush()
            try deadLetters?.close()
            if let failure = reader.readError { throw failure }
            stderr.reportSkipped(summary.rejected, of: summary.lines, writtenTo: deadLetter)
        } catch let conflict as OutputConflict {
            stderr.write("weir: \(conflict)\n")
            throw ExitCode(2)
        } catch let failure as IngestIOError {
            // Keep what was produced: the dead letters and the results before the failure.
            try? deadLetters?.close()
            if failure.isClosedStandardOutput { throw ExitCode.success }
            try? stdout.flush()
            stderr.write("weir: \(failure)\n")
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

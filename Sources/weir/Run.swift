import ArgumentParser
import Weir

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `weir run FILE...`: run rule files over a stream of events.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run rule files over a JSON Lines stream of CloudEvents.",
        discussion: """
            Every event is offered to the declarations listening to its type, in the order \
            they are written; every emitted event is written as one JSON line, in emission \
            order, to standard output or --output FILE. Emitted events feed back into the \
            rules before the next input event. A rule file with errors runs nothing.

            Time is event time (each event's 'time'): windows fire when the watermark (the \
            largest time seen minus --lateness) reaches their end. Events within the lateness \
            are put back in time order; later ones are late: written to --late-output FILE, \
            else to --dead-letter FILE with reason 'late', and counted. An event without \
            'time' is processed where it arrives, at the watermark. At the end of the input \
            the watermark moves past every deadline, so every window fires (not with \
            --no-flush). With --clock processing, events are timed on arrival by the wall clock.

            --trace [EXPR] says, for each event (or those for which EXPR is true) and each \
            declaration listening to its type, which clause accepted or rejected it, with the \
            values it read: the answer to "why didn't it fire?". --stats prints per \
            declaration: events in, matched, emitted, errors by clause and kind, windows.

            Exit status:
              0   the stream was processed (malformed and late events included), or
                  standard output was closed early
              1   a rule file has errors (nothing ran), or the --trace EXPR does not compile
              2   an input or output cannot be opened, read or written
              64  usage error: unknown option, invalid or out-of-range value

            Examples:
              weir run rules/orders/orders.rules --input rules/orders/events.jsonl
              weir run fraud.rules alerts.rules -i events.jsonl -o derived.jsonl --stats
              weir run metrics.rules -i events.jsonl --lateness 5m --late-output late.jsonl
              weir run routing.rules -i events.jsonl --trace "data.orderId = 'A2'"
            """
    )

    @Argument(help: ArgumentHelp("Rule files (.rules), run together.", valueName: "file"))
    var files: [String] = []

    @Option(name: .shortAndLong, help: ArgumentHelp("Read events from FILE ('-' for standard input).", valueName: "file"))
    var input: String = "-"

    @Option(name: .shortAndLong, help: ArgumentHelp("Write emitted events to FILE instead of standard output.", valueName: "file"))
    var output: String?

    @Option(help: ArgumentHelp("Write each malformed line (and late event, without --late-output) to FILE.", valueName: "file"))
    var deadLetter: String?

    @Option(help: ArgumentHelp("Write each late event to FILE, one JSON line each.", valueName: "file"))
    var lateOutput: String?

    @Option(help: ArgumentHelp("At the end, write each saga instance's final state and history to FILE, one JSON line each.", valueName: "file"))
    var sagas: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Allowed lateness: 0 (the default), 500ms, 30s, 5m, 1h ...", valueName: "duration"))
    var lateness: String = "0"

    @Flag(help: "At the end of the input, do not move the watermark past pending deadlines.")
    var noFlush = false

    @Option(help: "'event' (the default: time is each event's 'time') or 'processing' (the wall clock).")
    var clock: ClockOption = .event

    @Flag(help: "Print per-declaration counters on standard error at the end.")
    var stats = false

    @Flag(help: "Trace every event through the declarations, on standard error. '--trace EXPR' traces the events for which EXPR is true.")
    var trace = false

    @Option(help: .hidden)
    var traceFilter: String?

    @Option(parsing: .unconditional, help: "Longest chain of derived events, 1 to 1000 (default 32): an event past it is not published.")
    var maxDerivation: Int = 32

    @Option(parsing: .unconditional, help: "Most live runs of one PATTERN, all partitions together: 1 to 100000000 (default 1000000).")
    var maxRuns: Int = 1_000_000

    @Option(help: "When a new PATTERN run would pass --max-runs or a pattern's MAX RUNS: 'drop-oldest' (the default: the oldest run ends), 'refuse-new' (the new run does not start) or 'fail' (weir stops with an error).")
    var overload: OverloadPolicy = .dropOldest

    @Option(parsing: .unconditional, help: "Longest accepted line, in bytes: 1 to 1073741824 (1 GiB).")
    var maxLineBytes: Int = 1 << 20

    @Option(parsing: .unconditional, help: "Deepest accepted nesting of an event, 1 to 65536 (the event object is level 1).")
    var maxDepth: Int = 64

    @Flag(help: "Read and parse on the thread that runs the rules (by default an input file is read and parsed on a second thread, ahead of the rules).")
    var singleThread = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("Missing rule file: weir run FILE... [--input FILE]") }
        if lateness != "0", TimeSpan(parsing: lateness) == nil {
            throw ValidationError("--lateness must be a duration such as 0, 500ms, 30s, 5m or 1h (got '\(lateness)').")
        }
        if let span = TimeSpan(parsing: lateness), span.milliseconds < 0 {
            throw ValidationError("--lateness must not be negative (got '\(lateness)').")
        }
        guard (1...100_000_000).contains(maxRuns) else {
            throw ValidationError("--max-runs must be between 1 and 100000000 (got \(maxRuns)).")
        }
        guard (1...1000).contains(maxDerivation) else {
            throw ValidationError("--max-derivation must be between 1 and 1000 (got \(maxDerivation)).")
        }
        for (option, value) in [("--output", output), ("--dead-letter", deadLetter), ("--late-output", lateOutput), ("--sagas", sagas)] where value == "-" {
            throw ValidationError("\(option) needs a file name ('-' is not one).")
        }
        _ = try Validation.limits(maxLineBytes: maxLineBytes, maxDepth: maxDepth)
        try Validation.distinctRuleFiles(files)
    }

    func run() throws {
        signal(SIGPIPE, SIG_IGN)
        let stderr = ErrorOutput()
        defer { stderr.flush() }

        let rules: RuleSet
        do {
            rules = try RuleSet(paths: files)
        } catch {
            stderr.write(error.description + "\n")
            if !error.unreadable.isEmpty { throw ExitCode(2) }
            stderr.write("weir: \(error.errorCount) error\(error.errorCount == 1 ? "" : "s"); nothing ran\n")
            throw ExitCode(1)
        }
        for file in rules.warnings { stderr.write(file.rendered + "\n") }

        var configuration = RuleStreamRun()
        configuration.lateness = lateness == "0" ? 0 : TimeSpan(parsing: lateness)?.milliseconds ?? 0
        configuration.maxDerivation = maxDerivation
        configuration.maxRuns = maxRuns
        configuration.overload = overload
        configuration.keepSagas = sagas != nil
        configuration.flush = !noFlush
        if clock == .processing { configuration.clock = SystemClock() }
        if trace || traceFilter != nil { configuration.traceFilter = traceFilter ?? "" }
        do {
            _ = try configuration.traceProgram()
        } catch {
            stderr.write(error.description + "\n")
            throw ExitCode(1)
        }
        // A filter that can only err (an unknown function) would trace nothing, silently.
        if let traceFilter, !traceFilter.isEmpty, let filter = try? CompiledExpression(traceFilter, name: "<trace>"),
            !filter.warnings.isEmpty
        {
            stderr.write(filter.renderedWarnings + "\n")
        }

        let limits = try IngestLimits(maxLineBytes: maxLineBytes, maxDepth: maxDepth)
        let inputName = input == "-" ? "<stdin>" : input
        var outputFile: OutputBuffer?
        var deadLetters: DeadLetterWriter?
        var lateFile: OutputBuffer?
        let stdout = OutputBuffer(fileDescriptor: 1)
        do {
            // Refuse before anything is opened for writing: opening truncates.
            var outputs: [(option: String, path: String)] = []
            if let output { outputs.append(("--output", output)) }
            if let deadLetter { outputs.append(("--dead-letter", deadLetter)) }
            if let lateOutput { outputs.append(("--late-output", lateOutput)) }
            if let sagas { outputs.append(("--sagas", sagas)) }
            if let clash = NewOutputFiles.clash(outputs) {
                stderr.write("weir: \(clash)\n")
                throw ExitCode(2)
            }
            try FileIdentity.checkOutputs(outputs, input: input == "-" ? nil : input, rules: files)
            let reader = input == "-" ? EventReader(fileDescriptor: 0, limits: limits) : try EventReader(path: input, limits: limits)
            reader.readAheadAllowed = !singleThread
            outputFile = try output.map { path throws(IngestIOError) in try OutputBuffer(path: path) }
            deadLetters = try deadLetter.map { path throws(IngestIOError) in try DeadLetterWriter(path: path) }
            lateFile = try lateOutput.map { path throws(IngestIOError) in try OutputBuffer(path: path) }
            let sagaFile = try sagas.map { path throws(IngestIOError) in try OutputBuffer(path: path) }
            let out = outputFile ?? stdout
            let progress = Progress(input: input, reader: reader, stderr: stderr)

            let summary = try configuration.run(
                rules, reader: reader,
                emit: { line in try out.write(line) },
                late: { [deadLetters, lateFile] late in
                    let at = late.line.map { "\(inputName):\($0): " } ?? "weir: "
                    stderr.write("\(at)late: time \(Timestamp(milliseconds: late.time).rfc3339) is before the watermark "
                        + "\(Timestamp(milliseconds: late.watermark).rfc3339); not processed\n")
                    if let lateFile {
                        try lateFile.write(late.event.jsonText + "\n")
                    } else if let deadLetters {
                        try deadLetters.write(RejectedLine(line: late.line ?? 0, reason: "late", text: Array(late.event.jsonText.utf8)))
                    }
                },
                rejected: { [deadLetters] bad in
                    progress.clear()
                    stderr.write("\(inputName):\(bad.line): error: \(bad.reason)\n")
                    stderr.flush()
                    try deadLetters?.write(bad)
                },
                trace: trace || traceFilter != nil ? { line in
                    progress.clear()
                    stderr.write(line + "\n")
                } : nil,
                progress: progress.isShown ? { line in progress.update(line: line) } : nil)
            progress.clear()
            try out.flush()
            try outputFile?.close()
            try deadLetters?.close()
            try lateFile?.close()
            if let sagaFile {
                var writer = JSONWriter(capacity: 1024)
                for report in summary.sagas {
                    writer.bytes.removeAll(keepingCapacity: true)
                    writer.write(report.json)
                    writer.bytes.append(UInt8(ascii: "\n"))
                    try writer.bytes.withUnsafeBytes { try sagaFile.write($0) }
                }
                try sagaFile.close()
            }
            if let failure = reader.readError { throw failure }
            report(summary, rules: rules, stderr: stderr)
        } catch let failure as OverloadFailure {
            // Keep what was produced before the failure.
            try? stdout.flush()
            try? outputFile?.close()
            try? deadLetters?.close()
            try? lateFile?.close()
            stderr.write("weir: \(failure); stopped\n")
            throw ExitCode(1)
        } catch let conflict as OutputConflict {
            stderr.write("weir: \(conflict)\n")
            throw ExitCode(2)
        } catch let failure as IngestIOError {
            // Keep what was produced before the failure.
            try? deadLetters?.close()
            try? lateFile?.close()
            if failure.isClosedStandardOutput { throw ExitCode.success }
            try? outputFile?.close()
            try? stdout.flush()
            stderr.write("weir: \(failure)\n")
            throw ExitCode(2)
        }
    }

    private func report(_ summary: RuleStreamRun.Summary, rules: RuleSet, stderr: ErrorOutput) {
        let s = summary.statistics
        for drop in summary.derivationDrops {
            stderr.write("weir: derivation limit \(maxDerivation) reached: \(drop.count) event\(drop.count == 1 ? "" : "s") "
                + "not published, chain \(drop.chain.joined(separator: " -> "))\n")
        }
        stderr.reportSkipped(summary.malformed, of: summary.lines, writtenTo: deadLetter)
        if s.late > 0 {
            let whereTo = lateOutput ?? deadLetter
            stderr.write("weir: \(s.late) late event\(s.late == 1 ? "" : "s") not processed\(whereTo.map { " (written to \($0))" } ?? "")\n")
        }
        guard stats else { return }
        var text = "weir: stats: \(s.eventsIn) events in, \(s.late) late, \(summary.malformed) malformed, \(s.emitted) emitted"
        if s.derivationLimitDrops > 0 { text += ", \(s.derivationLimitDrops) dropped at the derivation limit" }
        text += "\n"
        for d in s.declarations {
            text += "  \(d.name): \(d.eventsIn) in, \(d.matched) matched, \(d.emitted) emitted, \(d.errorCount) error\(d.errorCount == 1 ? "" : "s")"
            if d.windowsFired > 0 || d.peakOpenWindows > 0 {
                text += ", windows: \(d.windowsFired) fired (\(d.windowsRejected) rejected by HAVING), \(d.openWindows) open, \(d.peakOpenWindows) peak"
            }
            if d.untimed > 0 { text += ", \(d.untimed) without time" }
            if d.kind == "PATTERN" {
                text += "\n    runs: \(d.runsStarted) started, \(d.runsAdvanced) advanced, \(d.runsCompleted) completed, "
                    + "\(d.runsExpired) expired (\(d.runsTimedOut) emitted ON TIMEOUT), \(d.runsRejected) ended by NOT or NEXT, "
                    + "\(d.runsDiscarded) discarded after a match, \(d.runsDropped) dropped and \(d.runsRefused) refused by a cap; "
                    + "\(d.liveRuns) live in \(d.partitions) partition\(d.partitions == 1 ? "" : "s"), \(d.peakRuns) peak, "
                    + "\(d.bytesPerRun) bytes per run"
                if d.unpartitioned > 0 { text += ", \(d.unpartitioned) events in no partition" }
            }
            if d.kind == "SAGA" {
                text += "\n    instances: \(d.sagasStarted) started, \(d.sagasCompleted) completed, \(d.sagasCompensated) compensated, "
                    + "\(d.sagasCompensationFailed) failed to compensate, \(d.sagasWaiting) waiting, \(d.sagaTimersPending) timers pending; "
                    + "\(d.duplicateStarts) duplicate starts, \(d.unmatchedReplies) unmatched and \(d.ignoredReplies) ignored (late, duplicate or stale) replies"
                if d.sagasWithoutKey > 0 { text += ", \(d.sagasWithoutKey) starts without a KEY" }
            }
            text += "\n"
            for (clause, kinds) in d.errors.sorted(by: { $0.key < $1.key }) {
                text += "    \(clause) errors: " + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
            }
        }
        stderr.write(text)
    }
}

enum ClockOption: String, ExpressibleByArgument, CaseIterable {
    case event, processing
}

/// A progress line on standard error, shown only when it is a terminal and the input a regular
/// file (so that its size is known).
final class Progress {
    private let total: Int
    private let reader: EventReader
    private let stderr: ErrorOutput
    let isShown: Bool
    private var shownAt = 0
    private var visible = false

    init(input: String, reader: EventReader, stderr: ErrorOutput) {
        self.reader = reader
        self.stderr = stderr
        var info = stat()
        if input != "-", isatty(2) == 1, stat(input, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 {
            total = Int(info.st_size)
            isShown = true
        } else {
            total = 0
            isShown = false
        }
    }

    func update(line: Int) {
        guard line - shownAt >= 50_000 else { return }
        shownAt = line
        let percent = min(100, reader.bytesRead * 100 / max(total, 1))
        stderr.write("\rweir: \(percent)% read, line \(line)")
        stderr.flush()
        visible = true
    }

    func clear() {
        guard visible else { return }
        stderr.write("\r\u{1B}[K")
        visible = false
    }
}

/// Two outputs naming one file that does not exist yet (`out.jsonl` and `./out.jsonl`): the
/// file identity check only sees existing files, and both would open, truncate and interleave
/// the same new file. Compares where each would be created instead.
enum NewOutputFiles {
    /// The refusal for the first output that would create the file an earlier one creates.
    static func clash(_ outputs: [(option: String, path: String)]) -> String? {
        var seen: [String: (option: String, path: String)] = [:]
        for output in outputs where access(output.path, F_OK) != 0 {
            guard let place = creationPlace(output.path) else { continue }
            if let first = seen[place] {
                return "\(output.option) '\(output.path)' is the same file as \(first.option) '\(first.path)'; refusing to overwrite it"
            }
            seen[place] = output
        }
        return nil
    }

    /// The resolved directory and the name that `path` would be created as, or nil when its
    /// directory does not exist (opening it fails anyway).
    private static func creationPlace(_ path: String) -> String? {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { path[..<$0].isEmpty ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolved = realpath(directory, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + name
    }
}

extension OverloadPolicy: ExpressibleByArgument {}

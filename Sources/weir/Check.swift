import ArgumentParser
import Weir

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `weir check FILE...`: compile rule files and print their diagnostics; run nothing.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check rule files: print every problem, run nothing.",
        discussion: """
            Parses and checks every file (together: declaration names must be unique across \
            them) and prints each problem as FILE:LINE:COLUMN: error: MESSAGE, with the source \
            line and a caret, then a summary.

            Exit status:
              0   no errors (warnings are printed)
              1   at least one error
              2   a file cannot be read
              64  usage error
            """
    )

    @Argument(help: ArgumentHelp("Rule files (.rules).", valueName: "file"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Missing rule file: weir check FILE...") }
        try Validation.distinctRuleFiles(files)
    }

    func run() throws {
        let stderr = ErrorOutput()
        defer { stderr.flush() }
        do {
            let rules = try RuleSet(paths: files)
            for file in rules.warnings { stderr.write(file.rendered + "\n") }
            let count = rules.declarationNames.count
            let warnings = rules.warnings.reduce(0) { $0 + $1.diagnostics.count }
            stderr.write("weir: \(files.joined(separator: ", ")): \(count) declaration\(count == 1 ? "" : "s"), no errors"
                + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "") + "\n")
        } catch {
            stderr.write(error.description + "\n")
            if !error.unreadable.isEmpty { throw ExitCode(2) }
            let n = error.errorCount
            stderr.write("weir: \(n) error\(n == 1 ? "" : "s")\n")
            throw ExitCode(1)
        }
    }
}

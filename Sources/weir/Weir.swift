import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `weir` command: argument parsing and printing only; the work is the Weir library's.
@main
struct WeirCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "weir",
        abstract: "A complex event processing and saga rules engine for CloudEvents.",
        discussion: """
            Weir reads CloudEvents 1.0 as JSON Lines (one event per line, structured mode) and \
            evaluates rules written in a SQL-like language: a strict superset of CloudEvents SQL v1.

            Examples:
              weir run rules/orders/orders.rules --input rules/orders/events.jsonl
              weir check rules/*/*.rules
              weir eval --input rules/orders/events.jsonl \\
                "data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'"
              cat events.jsonl | weir eval --count "type LIKE 'order.%'"
              weir eval --format json 'size(data.items)' --input events.jsonl
              weir eval --input events.jsonl -- '-data.n > 0'

            weir run FILE... options: --input FILE|-, --output FILE, --dead-letter FILE, \
            --late-output FILE, --lateness D, --no-flush, --clock event|processing, --stats, \
            --trace [EXPR], --max-derivation N.
            weir check FILE...: diagnostics only.
            weir eval options: --input FILE|-, --dialect weir|cesql, --format text|json, \
            --count, --dead-letter FILE, --explain, --max-line-bytes N, --max-depth N.

            Run 'weir help run', 'weir help eval' for more; the README has all of it.
            """,
        subcommands: [Run.self, Check.self, Eval.self]
    )

    /// Parses the command line, first giving `weir run --trace` its optional value.
    static func main() {
        main(TraceArgument.rewrite(Array(CommandLine.arguments.dropFirst())))
    }
}

/// `weir run ... --trace [EXPR]`: an option whose value is optional, which the argument parser
/// has no form for. `--trace=EXPR` always takes EXPR; `--trace X` takes X as the expression
/// unless X starts with '-', names an existing file (a rule file: `weir run --trace a.rules`)
/// or ends in `.rules` (a mistyped rule file is then reported missing, not traced by silently).
enum TraceArgument {
    static func rewrite(_ arguments: [String]) -> [String] {
        guard arguments.first == "run" else { return arguments }
        var out: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            if argument == "--" {
                out += arguments[i...]
                break
            }
            if argument.hasPrefix("--trace=") {
                out += ["--trace-filter", String(argument.dropFirst("--trace=".count))]
            } else if argument == "--trace", i + 1 < arguments.count, !arguments[i + 1].hasPrefix("-"),
                !arguments[i + 1].hasSuffix(".rules"), access(arguments[i + 1], F_OK) != 0
            {
                out += ["--trace-filter", arguments[i + 1]]
                i += 1
            } else {
                out.append(argument)
            }
            i += 1
        }
        return out
    }
}

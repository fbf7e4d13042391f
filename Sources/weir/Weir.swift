import ArgumentParser

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
              weir eval --input rules/orders/events.jsonl \\
                "data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'"
              cat events.jsonl | weir eval --count "type LIKE 'order.%'"
              weir eval --format json 'size(data.items)' --input events.jsonl
              weir eval --input events.jsonl -- '-data.n > 0'

            weir eval options: --input FILE|-, --dialect weir|cesql, --format text|json, \
            --count, --dead-letter FILE, --explain, --max-line-bytes N, --max-depth N.

            Run 'weir help eval' for the expression language in brief; the README has all of it.
            """,
        subcommands: [Eval.self]
    )
}

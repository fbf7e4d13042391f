import WeirCompiler

/// How `CompiledExpression.evaluate(stream:...)` writes each event's result.
public enum ResultFormat: String, Sendable, CaseIterable {
    /// The value as JSON, followed by `  (error: kind)` when evaluation failed: `true`, `"USA"`,
    /// `false  (error: missingAttribute)`.
    case text
    /// One JSON object per event: `{"value": true, "error": null}`, the error being null or the
    /// CloudEvents SQL error kind (`missingAttribute`, `cast`, `math`, ...).
    case json
}

/// What evaluating a stream saw.
public struct StreamSummary: Sendable, Hashable {
    /// Valid events evaluated.
    public var events = 0
    /// Events for which the expression was `true` with no error.
    public var matched = 0
    /// Lines rejected as malformed (not JSON, not a CloudEvent, too long, too deep ...).
    public var rejected = 0
    /// Evaluations that ended in an error, by kind.
    public var errors: [EvaluationErrorKind: Int] = [:]
    /// Lines read, blank ones included.
    public var lines = 0

    public init() {}
}

extension CompiledExpression {
    /// Evaluates the expression on every event of `reader`, in input order.
    ///
    /// With a `format`, one result line per event goes to `output`; without one, nothing is
    /// written and only the summary is kept (what `weir eval --count` prints). Malformed lines
    /// go to `rejected` (with their line number and reason) and reading goes on.
    ///
    /// With `explain`, every failed evaluation is also handed over with its line number and a
    /// diagnostic saying where in the expression it failed and why (see `explain(_:)`).
    ///
    /// Events are evaluated in place on the parser's document: nothing is copied per event.
    ///
    /// ```swift
    /// let filter = try CompiledExpression("data.totalAmount > 1000")
    /// let summary = try filter.evaluate(stream: EventReader(path: "orders.jsonl"), format: nil,
    ///                                   output: nil, rejected: { print("line \($0.line): \($0.reason)") })
    /// print(summary.matched)
    /// ```
    public func evaluate(
        stream reader: EventReader, format: ResultFormat?, output: OutputBuffer?,
        explain: ((Int, Diagnostic) throws -> Void)? = nil,
        rejected: (RejectedLine) throws -> Void
    ) throws -> StreamSummary {
        var summary = StreamSummary()
        var writer = JSONWriter(capacity: 1024)
        let program = compiled
        let output = format == nil ? nil : output
        let stats = try reader.forEach({ document, line in
            let (value, error) = program.evaluate(document)
            summary.events += 1
            if let error {
                summary.errors[error, default: 0] += 1
                if let explain, let why = program.explain(document) { try explain(line, why) }
            } else if case .bool(true) = value {
                summary.matched += 1
            }
            guard let output, let format else { return }
            writer.bytes.removeAll(keepingCapacity: true)
            switch format {
            case .json:
                writer.append("{\"value\": ")
                writer.write(value)
                writer.append(", \"error\": ")
                if let error {
                    writer.writeString(error.rawValue)
                } else {
                    writer.append("null")
                }
                writer.append("}\n")
            case .text:
                writer.write(value)
                if let error {
                    writer.append("  (error: ")
                    writer.appendRaw(error.rawValue)
                    writer.append(")")
                }
                writer.append("\n")
            }
            try writer.bytes.withUnsafeBytes { try output.write($0) }
        }, rejected: rejected)
        summary.rejected = stats.rejected
        summary.lines = stats.lines
        return summary
    }
}

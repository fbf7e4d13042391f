/// Limits on each line of a JSON Lines input, so that a hostile or broken input cannot make
/// the reader's memory grow without bound.
///
/// A limit outside its supported range is refused, never adjusted:
///
/// ```swift
/// let limits = try IngestLimits(maxLineBytes: 64 << 10, maxDepth: 32)
/// let reader = try EventReader(path: "events.jsonl", limits: limits)
/// _ = try IngestLimits(maxDepth: 0)   // throws: "the depth limit must be between 1 and 65536 (got 0)"
/// ```
public struct IngestLimits: Sendable, Hashable {
    /// The longest line accepted, in bytes, not counting the line ending. A longer line is
    /// rejected ("line too long") without being held in memory whole. 1 to `maxSupportedLineBytes`.
    public let maxLineBytes: Int
    /// The deepest nesting of arrays and objects accepted: the event object itself is level 1,
    /// so `{"data":{}}` has depth 1 and `{"data":{"a":1}}` depth 2 (as simdjson counts, an empty
    /// array or object does not add a level). 1 to `maxSupportedDepth`.
    public let maxDepth: Int

    /// The largest `maxLineBytes` accepted: 1 GiB.
    public static let maxSupportedLineBytes = 1 << 30
    /// The largest `maxDepth` accepted: 65536.
    public static let maxSupportedDepth = 1 << 16

    /// The defaults: lines up to 1 MiB, nesting up to 64 levels.
    public init() {
        maxLineBytes = 1 << 20
        maxDepth = 64
    }

    /// Limits with the given values.
    /// - Throws: `IngestLimitError` when a value is outside its supported range.
    public init(maxLineBytes: Int = 1 << 20, maxDepth: Int = 64) throws(IngestLimitError) {
        guard (1...IngestLimits.maxSupportedLineBytes).contains(maxLineBytes) else {
            throw IngestLimitError(limit: .lineBytes, value: maxLineBytes, maximum: IngestLimits.maxSupportedLineBytes)
        }
        guard (1...IngestLimits.maxSupportedDepth).contains(maxDepth) else {
            throw IngestLimitError(limit: .depth, value: maxDepth, maximum: IngestLimits.maxSupportedDepth)
        }
        self.maxLineBytes = maxLineBytes
        self.maxDepth = maxDepth
    }

    /// The line limit as the reader uses it (always valid: the initialiser checked it).
    var lineBytes: Int { maxLineBytes }
    /// The depth limit as the parser uses it (always valid: the initialiser checked it).
    var depth: Int { maxDepth }
}

/// A limit given to `IngestLimits` outside its supported range.
public struct IngestLimitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which limit.
    public enum Limit: String, Sendable, Hashable {
        case lineBytes = "line length limit"
        case depth = "depth limit"
    }

    public let limit: Limit
    /// The value refused.
    public let value: Int
    /// The largest value accepted (the smallest is 1).
    public let maximum: Int

    public var description: String {
        "the \(limit.rawValue) must be between 1 and \(maximum) (got \(value))"
    }
}

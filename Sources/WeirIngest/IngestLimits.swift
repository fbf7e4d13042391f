/// Limits on each line of a JSON Lines input, so that a hostile or broken input cannot make
/// the reader's memory grow without bound.
///
/// ```swift
/// let reader = try EventReader(path: "events.jsonl", limits: IngestLimits(maxLineBytes: 64 << 10))
/// ```
public struct IngestLimits: Sendable, Hashable {
    /// The longest line accepted, in bytes, not counting the line ending. A longer line is
    /// rejected ("line too long") without being held in memory whole.
    public var maxLineBytes: Int
    /// The deepest nesting of arrays and objects accepted; the event object itself is level 1.
    /// (As simdjson counts, an empty array or object does not add a level.) At most 65536.
    public var maxDepth: Int

    public init(maxLineBytes: Int = 1 << 20, maxDepth: Int = 64) {
        self.maxLineBytes = maxLineBytes
        self.maxDepth = maxDepth
    }

    /// `maxLineBytes` kept in a range where buffer arithmetic cannot overflow (at least 1).
    var lineBytes: Int { min(max(maxLineBytes, 1), Int.max / 4) }
    /// `maxDepth` kept in a range the parser accepts (1 to 65536).
    var depth: Int { min(max(maxDepth, 1), 1 << 16) }
}

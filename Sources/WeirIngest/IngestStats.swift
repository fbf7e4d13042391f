/// Counts of what one pass over an input saw.
public struct IngestStats: Sendable, Hashable {
    /// Physical lines read, blank ones included.
    public var lines: Int
    /// Valid events delivered.
    public var events: Int
    /// Lines rejected (each one was reported).
    public var rejected: Int
    /// Bytes read from the input.
    public var bytes: Int

    public init(lines: Int = 0, events: Int = 0, rejected: Int = 0, bytes: Int = 0) {
        self.lines = lines
        self.events = events
        self.rejected = rejected
        self.bytes = bytes
    }
}

/// A line of input that is not a valid event: where it was, why, and what it held.
public struct RejectedLine: Sendable, Hashable {
    /// The 1-based physical line number.
    public let line: Int
    /// Why the line was rejected, e.g. `missing required attribute 'id'`.
    public let reason: String
    /// The line's bytes without its line ending; for a line over the length limit, only its
    /// first `maxLineBytes` bytes.
    public let text: [UInt8]

    public init(line: Int, reason: String, text: [UInt8]) {
        self.line = line
        self.reason = reason
        self.text = text
    }
}

/// A half-open range of UTF-8 byte offsets into a source text: `start..<end`.
///
/// Ranges are stored as offsets and rendered late as `line:column` by `SourceFile`.
public struct SourceRange: Hashable, Sendable, CustomStringConvertible {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// An empty range at `offset` (a caret position).
    public init(at offset: Int) { self.init(start: offset, end: offset) }

    /// The smallest range covering both.
    public func union(_ other: SourceRange) -> SourceRange {
        SourceRange(start: min(start, other.start), end: max(end, other.end))
    }

    public var description: String { "\(start)..<\(end)" }
}

/// A named source text (a rule file, or `<expr>` for an expression given on the command line),
/// with the line table that turns offsets into 1-based line and column numbers.
public struct SourceFile: Sendable {
    public let name: String
    public let text: String
    public let bytes: [UInt8]
    /// Offsets where each line starts; line `n` (1-based) starts at `lineStarts[n - 1]`.
    public let lineStarts: [Int]
    /// The number of scalars that start before every multiple of `checkpointSpan` bytes, so that
    /// a column is counted over at most that many bytes (a hostile file with tens of thousands
    /// of diagnostics on one long line must not make rendering quadratic).
    private let scalarCheckpoints: [Int]
    private static let checkpointSpan = 4096

    public init(name: String, text: String) {
        self.name = name
        self.text = text
        bytes = Array(text.utf8)
        lineStarts = SourceFile.lineStartOffsets(in: bytes)
        scalarCheckpoints = SourceFile.checkpoints(in: bytes)
    }

    /// A source read as raw bytes, which may be invalid UTF-8 (the lexer reports it, with
    /// exact offsets); `text` is their decoding, with U+FFFD for invalid sequences.
    public init(name: String, bytes: [UInt8]) {
        self.name = name
        text = String(decoding: bytes, as: UTF8.self)
        self.bytes = bytes
        lineStarts = SourceFile.lineStartOffsets(in: bytes)
        scalarCheckpoints = SourceFile.checkpoints(in: bytes)
    }

    private static func checkpoints(in bytes: [UInt8]) -> [Int] {
        var counts = [0]
        counts.reserveCapacity(bytes.count / checkpointSpan + 1)
        var scalars = 0
        for (i, b) in bytes.enumerated() {
            if i > 0, i % checkpointSpan == 0 { counts.append(scalars) }
            if b & 0xC0 != 0x80 { scalars += 1 }
        }
        return counts
    }

    /// The number of scalars that start in `bytes[0..<offset]`.
    func scalarsBefore(_ offset: Int) -> Int {
        let k = min(offset / SourceFile.checkpointSpan, scalarCheckpoints.count - 1)
        var count = scalarCheckpoints[k]
        for b in bytes[(k * SourceFile.checkpointSpan)..<offset] where b & 0xC0 != 0x80 { count += 1 }
        return count
    }

    private static func lineStartOffsets(in bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "\n") { starts.append(i + 1) }
        return starts
    }

    /// 1-based line and column of a byte offset; the column counts Unicode scalars.
    public func location(of offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(offset, 0), bytes.count)
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return (lo + 1, scalarsBefore(offset) - scalarsBefore(lineStarts[lo]) + 1)
    }

    /// `line:column` of an offset, as diagnostics print it.
    public func position(of offset: Int) -> String {
        let (line, column) = location(of: offset)
        return "\(line):\(column)"
    }

    /// The text of a 1-based line, without its line ending.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<max(start, end)], as: UTF8.self)
    }

    /// The source text covered by a range.
    public func slice(_ range: SourceRange) -> String {
        let s = min(max(range.start, 0), bytes.count)
        let e = min(max(range.end, s), bytes.count)
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }
}

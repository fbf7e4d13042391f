import WeirCore

/// Writes rejected lines to a dead-letter output, one JSON object per line:
///
///     {"line":3,"reason":"missing required attribute 'id'","text":"{\"specversion\":\"1.0\"}"}
///
/// `text` is the original line (without its line ending) as a JSON string. When the line is not
/// valid UTF-8, `text` holds it with each invalid sequence replaced by U+FFFD (for reading) and
/// `base64` holds the exact original bytes (standard alphabet, padded), so nothing is lost:
///
///     {"line":7,"reason":"invalid UTF-8","text":"{\"id\":\"�\"}","base64":"eyJpZCI6Iv8ifQ=="}
///
/// For a line over the length limit, `text` (and `base64`) hold only its first `maxLineBytes`
/// bytes; the reason gives its whole length.
///
/// ```swift
/// let deadLetters = try DeadLetterWriter(path: "rejected.jsonl")
/// let stats = try reader.forEachEvent({ event, _ in ... }, rejected: { try deadLetters.write($0) })
/// try deadLetters.close()
/// ```
public final class DeadLetterWriter {
    private let output: OutputBuffer
    private var writer = JSONWriter(capacity: 4096)
    /// Records written so far.
    public private(set) var count = 0

    /// A writer to the file at `path`, created or truncated.
    /// - Throws: `IngestIOError` when the file cannot be opened.
    public convenience init(path: String) throws(IngestIOError) {
        self.init(output: try OutputBuffer(path: path))
    }

    /// A writer to an output the caller provides (and flushes or closes).
    public init(output: OutputBuffer) {
        self.output = output
    }

    /// Buffers one record; it reaches the file when the buffer fills, or on `flush()`/`close()`.
    public func write(_ rejected: RejectedLine) throws(IngestIOError) {
        writer.bytes.removeAll(keepingCapacity: true)
        DeadLetterWriter.encode(rejected, into: &writer)
        try output.write(writer.bytes)
        count += 1
    }

    public func flush() throws(IngestIOError) { try output.flush() }

    /// Flushes, and closes the file if this writer opened it.
    public func close() throws(IngestIOError) { try output.close() }

    /// One record as a line of JSON (with its "\n").
    static func encode(_ rejected: RejectedLine, into writer: inout JSONWriter) {
        writer.append("{\"line\":")
        writer.writeInteger(Int64(rejected.line))
        writer.append(",\"reason\":")
        writer.writeString(rejected.reason)
        writer.append(",\"text\":")
        if let text = String(validating: rejected.text, as: UTF8.self) {
            writer.writeString(text)
        } else {
            writer.writeString(String(decoding: rejected.text, as: UTF8.self))
            writer.append(",\"base64\":\"")
            Base64.encode(rejected.text, into: &writer.bytes)
            writer.bytes.append(UInt8(ascii: "\""))
        }
        writer.append("}\n")
    }
}

/// Base64 with the standard alphabet and `=` padding (RFC 4648 section 4).
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: [UInt8], into out: inout [UInt8]) {
        out.reserveCapacity(out.count + (bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let word = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            for shift in [18, 12, 6, 0] as [UInt32] { out.append(alphabet[Int((word >> shift) & 63)]) }
            i += 3
        }
        let rest = bytes.count - i
        guard rest > 0 else { return }
        let word = UInt32(bytes[i]) << 16 | (rest == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
        out.append(alphabet[Int((word >> 18) & 63)])
        out.append(alphabet[Int((word >> 12) & 63)])
        out.append(rest == 2 ? alphabet[Int((word >> 6) & 63)] : UInt8(ascii: "="))
        out.append(UInt8(ascii: "="))
    }
}

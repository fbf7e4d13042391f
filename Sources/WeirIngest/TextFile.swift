/// Reads a small text file whole (an expression or a rule file), refusing one that is too long
/// before reading it all.
///
/// ```swift
/// let text = try TextFile.read(path: "filter.expr", maxBytes: 1 << 20)
/// ```
public enum TextFile {
    /// The bytes of the file at `path`, decoded as UTF-8 (invalid sequences become U+FFFD, which
    /// the lexer then reports).
    /// - Throws: `TextFileError` when it cannot be read or holds more than `maxBytes` bytes.
    public static func read(path: String, maxBytes: Int) throws(TextFileError) -> String {
        let fd: Int32
        do { fd = try SystemIO.openForReading(path) } catch { throw .io(error) }
        defer { SystemIO.closeDescriptor(fd) }
        var bytes: [UInt8] = []
        let chunk = 1 << 16
        while true {
            let before = bytes.count
            bytes.reserveCapacity(before + chunk)
            var got = 0
            var failure: IngestIOError?
            bytes.append(contentsOf: repeatElement(0, count: chunk))
            bytes.withUnsafeMutableBytes { raw in
                switch SystemIO.read(fd, into: raw.baseAddress! + before, count: chunk) {
                case .success(let n): got = n
                case .failure(let error): failure = error
                }
            }
            bytes.removeLast(chunk - got)
            if let failure { throw .io(IngestIOError(operation: "read", path: path, code: failure.code)) }
            if got == 0 { break }
            if bytes.count > maxBytes { throw .tooLong(path: path, limit: maxBytes) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why `TextFile.read` failed.
public enum TextFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file could not be opened or read.
    case io(IngestIOError)
    /// The file holds more than `limit` bytes.
    case tooLong(path: String, limit: Int)

    public var description: String {
        switch self {
        case .io(let error): return error.description
        case .tooLong(let path, let limit): return "'\(path)' is longer than the limit of \(limit) bytes"
        }
    }
}

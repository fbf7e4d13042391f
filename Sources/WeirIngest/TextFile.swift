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
        let block = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { block.deallocate() }
        while true {
            // Appending grows the array geometrically: reading is linear in the file's size.
            switch SystemIO.read(fd, into: block, count: chunk) {
            case .success(0):
                return String(decoding: bytes, as: UTF8.self)
            case .success(let n):
                bytes.append(contentsOf: UnsafeRawBufferPointer(start: block, count: n))
                if bytes.count > maxBytes { throw .tooLong(path: path, limit: maxBytes) }
            case .failure(let error):
                throw .io(IngestIOError(operation: "read", path: path, code: error.code))
            }
        }
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

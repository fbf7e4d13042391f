#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A buffered writer to a file descriptor: bytes collect in one block (64 KiB by default) and
/// go out with write(2) when it fills, on `flush()` and on `close()`.
///
/// ```swift
/// let out = OutputBuffer(fileDescriptor: 1)   // standard output
/// var writer = JSONWriter()
/// event.write(to: &writer)
/// writer.bytes.append(UInt8(ascii: "\n"))
/// try out.write(writer.bytes)
/// try out.flush()
/// ```
///
/// Partial writes and EINTR are retried. Not thread-safe. A process writing to a pipe should
/// ignore SIGPIPE to get EPIPE as an error instead of being killed.
public final class OutputBuffer {
    private let fd: Int32
    private let ownsDescriptor: Bool
    private let path: String?
    private let buffer: UnsafeMutableRawPointer
    private let capacity: Int
    private var count = 0
    private var isClosed = false

    /// A writer to an open file descriptor, which the caller keeps owning (it is never closed).
    public convenience init(fileDescriptor: Int32, capacity: Int = 64 << 10) {
        self.init(fd: fileDescriptor, owned: false, path: nil, capacity: capacity)
    }

    /// A writer to the file at `path`, created (mode 0644) or truncated, or appended to.
    /// - Throws: `IngestIOError` when the file cannot be opened.
    public convenience init(path: String, append: Bool = false, capacity: Int = 64 << 10) throws(IngestIOError) {
        let fd = try SystemIO.openForWriting(path, append: append)
        self.init(fd: fd, owned: true, path: path, capacity: capacity)
    }

    private init(fd: Int32, owned: Bool, path: String?, capacity: Int) {
        self.fd = fd
        ownsDescriptor = owned
        self.path = path
        self.capacity = max(capacity, 1)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 16)
    }

    /// Flushes what is left (errors are lost: call `close()` or `flush()` to see them) and closes
    /// the file if this writer opened it.
    deinit {
        if !isClosed {
            try? flush()
            if ownsDescriptor { SystemIO.closeDescriptor(fd) }
        }
        buffer.deallocate()
    }

    /// Appends bytes, writing the block out when it is full (a large write goes straight out).
    public func write(_ bytes: UnsafeRawBufferPointer) throws(IngestIOError) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count > capacity - count {
            try flush()
            if bytes.count >= capacity {
                try writeOut(source, bytes.count)
                return
            }
        }
        (buffer + count).copyMemory(from: source, byteCount: bytes.count)
        count += bytes.count
    }

    public func write(_ bytes: [UInt8]) throws(IngestIOError) {
        try bytes.withUnsafeBytes { raw in Result { () throws(IngestIOError) in try write(raw) } }.get()
    }

    public func write(_ text: String) throws(IngestIOError) {
        var text = text
        try text.withUTF8 { utf8 in Result { () throws(IngestIOError) in try write(UnsafeRawBufferPointer(utf8)) } }.get()
    }

    /// Writes out everything buffered.
    public func flush() throws(IngestIOError) {
        guard count > 0 else { return }
        let pending = count
        count = 0
        try writeOut(buffer, pending)
    }

    /// Flushes, then closes the file if this writer opened it. Further writes are an error (EBADF).
    public func close() throws(IngestIOError) {
        guard !isClosed else { return }
        defer {
            isClosed = true
            if ownsDescriptor { SystemIO.closeDescriptor(fd) }
        }
        try flush()
    }

    private func writeOut(_ bytes: UnsafeRawPointer, _ byteCount: Int) throws(IngestIOError) {
        guard !isClosed else { throw IngestIOError(operation: "write", path: path, code: EBADF) }
        do {
            try SystemIO.writeAll(fd, bytes, count: byteCount)
        } catch {
            throw IngestIOError(operation: "write", path: path, code: error.code)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin wrappers over read(2), write(2) and open(2) that retry on EINTR and wait on EAGAIN.
enum SystemIO {
    /// Opens `path` for reading; a directory is refused up front (reading it would fail later).
    static func openForReading(_ path: String) throws(IngestIOError) -> Int32 {
        let fd = retrying { open(path, O_RDONLY | O_CLOEXEC) }
        guard fd >= 0 else { throw IngestIOError(operation: "open", path: path, code: errno) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw IngestIOError(operation: "open", path: path, code: EISDIR)
        }
        return fd
    }

    /// Creates (or truncates, or appends to) `path` for writing, with mode 0644.
    static func openForWriting(_ path: String, append: Bool) throws(IngestIOError) -> Int32 {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC)
        let fd = retrying { open(path, flags, 0o644) }
        guard fd >= 0 else { throw IngestIOError(operation: "open", path: path, code: errno) }
        return fd
    }

    /// Reads up to `count` bytes; 0 means end of input. Throws the errno of a failed read.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int) -> Result<Int, IngestIOError> {
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, buffer, count)
            #else
            let n = Darwin.read(fd, buffer, count)
            #endif
            if n >= 0 { return .success(n) }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                wait(fd, for: Int16(POLLIN))
                continue
            }
            return .failure(IngestIOError(operation: "read", path: nil, code: code))
        }
    }

    /// Writes all `count` bytes, looping over partial writes.
    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawPointer, count: Int) throws(IngestIOError) {
        var done = 0
        while done < count {
            #if canImport(Glibc)
            let n = Glibc.write(fd, bytes + done, count - done)
            #else
            let n = Darwin.write(fd, bytes + done, count - done)
            #endif
            if n > 0 {
                done += n
                continue
            }
            let code = n == 0 ? EIO : errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                wait(fd, for: Int16(POLLOUT))
                continue
            }
            throw IngestIOError(operation: "write", path: nil, code: code)
        }
    }

    /// Closes a descriptor (errors are ignored: nothing useful can be done about them here).
    static func closeDescriptor(_ fd: Int32) {
        _ = close(fd)
    }

    /// Blocks until a non-blocking descriptor is ready (for a standard input or output that a
    /// parent process left in non-blocking mode).
    private static func wait(_ fd: Int32, for events: Int16) {
        var entry = pollfd(fd: fd, events: events, revents: 0)
        _ = poll(&entry, 1, -1)
    }

    private static func retrying(_ body: () -> Int32) -> Int32 {
        while true {
            let result = body()
            if result >= 0 || errno != EINTR { return result }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits an input into lines. It reads big blocks into one reusable buffer and hands out each
/// line in place, followed by at least `padding` readable bytes (what the parser needs).
///
/// Memory is bounded by the longest line, itself capped: a line longer than `maxLineBytes` is
/// skipped block by block up to its newline, and only its first `maxLineBytes` bytes are kept.
final class LineReader {
    enum Item {
        /// A line without its `\n` or `\r\n`, valid until the next call.
        case line(UnsafePointer<UInt8>, count: Int)
        /// A line over the limit: its first `maxLineBytes` bytes and its whole length.
        case tooLong(prefix: [UInt8], length: Int)
        case end
    }

    /// Where the bytes come from.
    enum Input {
        case descriptor(Int32, owned: Bool)
        case bytes([UInt8])
    }

    /// The number of the line last returned (1-based), blank lines included.
    private(set) var lineNumber = 0
    private(set) var bytesRead = 0
    /// The error that ended the input early, if reading failed.
    private(set) var readError: IngestIOError?

    private var input: Input
    private var inputOffset = 0
    private let blockSize: Int
    private let maxLineBytes: Int
    private let padding: Int
    private var buffer: UnsafeMutablePointer<UInt8>
    /// Usable bytes in `buffer` (`padding` more are allocated after them).
    private var capacity: Int
    /// The buffer's usable size, which grows only with the longest line (for tests).
    var bufferCapacity: Int { capacity }
    /// Unconsumed bytes are `buffer[start..<end]`.
    private var start = 0
    private var end = 0
    private var atEOF = false

    /// Whether the input is all there already (a regular file, or bytes in memory), rather than
    /// a pipe or a terminal whose next line may be a while coming.
    let isAtRest: Bool

    init(input: Input, maxLineBytes: Int, blockSize: Int, padding: Int) {
        self.input = input
        switch input {
        case .bytes:
            isAtRest = true
        case .descriptor(let fd, _):
            var status = stat()
            isAtRest = fstat(fd, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
        }
        self.maxLineBytes = maxLineBytes
        self.blockSize = max(blockSize, 1)
        self.padding = padding
        capacity = self.blockSize
        buffer = LineReader.allocate(capacity + padding)
    }

    deinit {
        buffer.deallocate()
        if case .descriptor(let fd, owned: true) = input { close(fd) }
    }

    /// The next line, a line over the limit, or the end of the input.
    func next() -> Item {
        while true {
            let available = end - start
            if available > 0 {
                if let newline = memchr(buffer + start, 0x0A, available) {
                    let lineStart = start
                    let lineEnd = UnsafeRawPointer(buffer).distance(to: newline)
                    start = lineEnd + 1
                    return finish(from: lineStart, to: lineEnd)
                }
                if atEOF {
                    let lineStart = start
                    start = end
                    return finish(from: lineStart, to: end)
                }
                // Room for the limit plus a "\r": anything longer is too long whatever follows.
                if available > maxLineBytes + 1 { return skipLongLine() }
            } else if atEOF {
                return .end
            }
            refill()
        }
    }

    @inline(__always)
    private func finish(from start: Int, to lineEnd: Int) -> Item {
        lineNumber += 1
        var lineStart = start
        var count = lineEnd - lineStart
        if count > 0 && buffer[lineEnd - 1] == 0x0D { count -= 1 }
        if lineNumber == 1 && count >= 3 && buffer[lineStart] == 0xEF && buffer[lineStart + 1] == 0xBB
            && buffer[lineStart + 2] == 0xBF
        {
            // A UTF-8 byte order mark at the start of the input is not part of the first line.
            lineStart += 3
            count -= 3
        }
        if count > maxLineBytes {
            return .tooLong(prefix: Array(UnsafeBufferPointer(start: buffer + lineStart, count: maxLineBytes)), length: count)
        }
        return .line(UnsafePointer(buffer + lineStart), count: count)
    }

    /// Keeps the first `maxLineBytes` bytes of the partial line in the buffer and discards the
    /// rest of the line, a block at a time, up to its newline or the end of the input.
    private func skipLongLine() -> Item {
        let prefix = Array(UnsafeBufferPointer(start: buffer + start, count: maxLineBytes))
        var length = end - start
        var last = buffer[end - 1]
        start = 0
        end = 0
        while !atEOF {
            fill()
            guard end > 0 else { break }
            if let newline = memchr(buffer, 0x0A, end) {
                let offset = UnsafeRawPointer(buffer).distance(to: newline)
                length += offset
                if offset > 0 { last = buffer[offset - 1] }
                start = offset + 1
                break
            }
            length += end
            last = buffer[end - 1]
            end = 0
        }
        if last == 0x0D { length -= 1 }
        lineNumber += 1
        return .tooLong(prefix: prefix, length: length)
    }

    /// Moves the partial line to the front, grows the buffer if the partial line leaves less
    /// than half a block free, and reads more.
    private func refill() {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 { memmove(buffer, buffer + start, remaining) }
            start = 0
            end = remaining
        }
        if capacity - end < blockSize / 2 + 1 {
            let limit = maxLineBytes + 1 + blockSize
            let grown = min(max(capacity * 2, end + blockSize), limit)
            let bigger = LineReader.allocate(grown + padding)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity = grown
        }
        fill()
    }

    /// Called every `interval` milliseconds while a descriptor input has nothing to read
    /// (processing time: the watermark moves with the wall clock while no event arrives).
    var idle: (interval: Int32, tick: () -> Void)?

    /// Reads once into `buffer[end..<capacity]`, setting `atEOF` at the end of the input.
    private func fill() {
        let room = capacity - end
        switch input {
        case .descriptor(let fd, _):
            if let idle {
                var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                while poll(&entry, 1, idle.interval) == 0 { idle.tick() }
            }
            switch SystemIO.read(fd, into: buffer + end, count: room) {
            case .success(let n):
                if n == 0 { atEOF = true }
                end += n
                bytesRead += n
            case .failure(let error):
                readError = error
                atEOF = true
            }
        case .bytes(let bytes):
            let n = min(room, bytes.count - inputOffset)
            if n == 0 {
                atEOF = true
                return
            }
            bytes.withUnsafeBufferPointer { source in
                guard let base = source.baseAddress else { return }
                (buffer + end).update(from: base + inputOffset, count: n)
            }
            inputOffset += n
            end += n
            bytesRead += n
        }
    }

    private static func allocate(_ count: Int) -> UnsafeMutablePointer<UInt8> {
        let memory = UnsafeMutablePointer<UInt8>.allocate(capacity: count)
        memory.initialize(repeating: 0, count: count)
        return memory
    }

    /// Whether a line holds only JSON whitespace (space, tab, carriage return).
    @inline(__always)
    static func isBlank(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
        for i in 0..<count {
            let c = bytes[i]
            if c != 0x20 && c != 0x09 && c != 0x0D { return false }
        }
        return true
    }
}

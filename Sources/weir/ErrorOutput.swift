import Weir

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension IngestIOError {
    /// A write to standard output that failed because its reader went away (`| head -1`): the
    /// run ends quietly, as `cat` and `grep` do.
    var isClosedStandardOutput: Bool { operation == "write" && path == nil && code == EPIPE }
}

/// Standard error for messages: a failing standard error (`2>/dev/full`) must not stop the
/// processing, so its write errors are ignored.
final class ErrorOutput {
    private let buffer = OutputBuffer(fileDescriptor: 2, capacity: 4096)

    func write(_ text: String) { try? buffer.write(text) }
    func flush() { try? buffer.flush() }

    /// The end-of-run line about malformed lines, when there were some.
    func reportSkipped(_ malformed: Int, of lines: Int, writtenTo deadLetter: String?) {
        guard malformed > 0 else { return }
        let what = malformed == 1 ? "1 malformed line" : "\(malformed) malformed lines"
        write("weir: skipped \(what) of \(lines)\(deadLetter.map { " (written to \($0))" } ?? "")\n")
    }
}

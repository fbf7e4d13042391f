import CSimdJSON
import WeirCore

/// Reads CloudEvents from a JSON Lines input: a file, a file descriptor (standard input) or
/// bytes in memory.
///
/// It reads in large blocks into one reusable buffer and parses each line in place, so memory
/// follows the longest line (capped by `IngestLimits.maxLineBytes`), not the input. Every line
/// that is not a valid event is reported with its line number and reason, and reading goes on.
///
/// ```swift
/// let reader = try EventReader(path: "orders.jsonl")
/// let stats = reader.forEachEvent { event, line in
///     print(line, event.type)
/// } rejected: { bad in
///     print("line \(bad.line): \(bad.reason)")
/// }
/// ```
///
/// Not thread-safe: use one reader per input, from one task at a time.
public final class EventReader {
    /// The default size of each read.
    static let defaultBlockSize = 1 << 20

    public let limits: IngestLimits
    private let lines: LineReader
    private let parser: DocumentParser
    /// Packs the documents an engine keeps (`ownedEvent(_:)`), reusing its working memory.
    private var packer = EventPacker()

    /// Why reading stopped early, when it did: the events before the failure were delivered and
    /// the input is treated as ending there.
    public var readError: IngestIOError? { lines.readError }

    /// Bytes read from the input so far (for progress reports).
    public var bytesRead: Int { lines.bytesRead }

    /// Calls `tick` every `interval` milliseconds while the input (a file descriptor) has
    /// nothing to read: processing time's idle advance. Nil stops it.
    package func onIdle(every interval: Int32, _ tick: (() -> Void)?) {
        lines.idle = tick.map { (interval, $0) }
    }

    init(input: LineReader.Input, limits: IngestLimits, blockSize: Int) {
        self.limits = limits
        parser = DocumentParser(limits: limits)
        lines = LineReader(
            input: input, maxLineBytes: limits.lineBytes, blockSize: blockSize, padding: DocumentParser.padding)
    }

    /// A reader of an open file descriptor, such as standard input (0). The caller keeps
    /// ownership: the reader never closes it.
    public convenience init(fileDescriptor: Int32, limits: IngestLimits = IngestLimits()) {
        self.init(input: .descriptor(fileDescriptor, owned: false), limits: limits, blockSize: EventReader.defaultBlockSize)
    }

    /// A reader of the file at `path`, which it opens now and closes when it is released.
    /// - Throws: `IngestIOError` when the file cannot be opened (missing, unreadable, a directory).
    public convenience init(path: String, limits: IngestLimits = IngestLimits()) throws(IngestIOError) {
        let fd = try SystemIO.openForReading(path)
        self.init(input: .descriptor(fd, owned: true), limits: limits, blockSize: EventReader.defaultBlockSize)
    }

    /// A reader of JSON Lines held in memory.
    public convenience init(bytes: [UInt8], limits: IngestLimits = IngestLimits()) {
        self.init(input: .bytes(bytes), limits: limits, blockSize: EventReader.defaultBlockSize)
    }

    /// Reads to the end of the input: calls `accept` for every valid event with a view of the
    /// parsed document (valid only during the call) and its 1-based line number, and `rejected`
    /// for every line that is not a valid event. Blank lines are skipped. No allocation per event.
    ///
    /// Calling it again continues after the last line read (at the end, it returns at once).
    /// - Returns: what this call read.
    package func forEach(
        _ accept: (DocumentView, Int) throws -> Void,
        rejected: (RejectedLine) throws -> Void
    ) rethrows -> IngestStats {
        var stats = IngestStats()
        let firstLine = lines.lineNumber
        let firstByte = lines.bytesRead
        reading: while true {
            switch lines.next() {
            case .end:
                break reading
            case .line(let bytes, let count):
                if count == 0 || LineReader.isBlank(bytes, count: count) { continue }
                let document: DocumentView
                do {
                    document = try parser.parseEvent(bytes, count: count)
                } catch {
                    stats.rejected += 1
                    let text = Array(UnsafeBufferPointer(start: bytes, count: count))
                    try rejected(RejectedLine(line: lines.lineNumber, reason: error.description, text: text))
                    continue
                }
                stats.events += 1
                try accept(document, lines.lineNumber)
            case .tooLong(let prefix, let length):
                stats.rejected += 1
                let reason = IngestFailure.tooLong(bytes: length, limit: limits.lineBytes).description
                try rejected(RejectedLine(line: lines.lineNumber, reason: reason, text: prefix))
            }
        }
        stats.lines = lines.lineNumber - firstLine
        stats.bytes = lines.bytesRead - firstByte
        return stats
    }

    /// The owned event for a document this reader handed to `forEach`'s `accept` (during that
    /// call: the view is valid only until the next line is parsed). An engine calls it only
    /// for the documents a declaration keeps; the others are never packed.
    ///
    /// One allocation per event (the event's packed storage): the reader reuses its working
    /// memory from one event to the next. Reading `type` and the event time needs no owned
    /// event: see `DocumentView.typeBytes` and `DocumentView.eventTimeMilliseconds()`.
    ///
    /// ```swift
    /// _ = reader.forEach({ document, line in
    ///     guard let rules = index[document.typeBytes] else { return }   // one lookup, no packing
    ///     let time = try document.eventTimeMilliseconds()
    ///     if rules.keep(document) { state.keep(reader.ownedEvent(document), at: time) }
    /// }, rejected: deadLetter)
    /// ```
    package func ownedEvent(_ document: DocumentView) -> Event {
        packer.event(from: document)
    }

    /// Reads to the end of the input like `forEach`, handing each valid event to `body` as an
    /// owned `Event` with its line number.
    public func forEachEvent(
        _ body: (Event, Int) throws -> Void,
        rejected: (RejectedLine) throws -> Void
    ) rethrows -> IngestStats {
        try forEach({ view, line in try body(ownedEvent(view), line) }, rejected: rejected)
    }

    /// Reads every remaining event into an array; bad lines go to `rejected`.
    public func events(rejected: (RejectedLine) throws -> Void = { _ in }) rethrows -> [Event] {
        var events: [Event] = []
        _ = try forEachEvent({ event, _ in events.append(event) }, rejected: rejected)
        return events
    }

    /// Builds one event from a JSON text in CloudEvents structured mode (any whitespace allowed).
    ///
    /// ```swift
    /// let event = try EventReader.parseEvent(#"{"specversion":"1.0","id":"1","source":"s","type":"t"}"#)
    /// ```
    /// - Throws: `IngestFailure` saying why the text is not a valid event.
    public static func parseEvent(_ json: [UInt8], limits: IngestLimits = IngestLimits()) throws(IngestFailure) -> Event {
        guard json.count <= limits.lineBytes else { throw .tooLong(bytes: json.count, limit: limits.lineBytes) }
        var padded = json
        padded.append(contentsOf: repeatElement(0, count: DocumentParser.padding))
        let parser = DocumentParser(limits: limits)
        return try padded.withUnsafeBufferPointer { (buffer) throws(IngestFailure) -> Event in
            guard let base = buffer.baseAddress else { throw .invalidJSON("empty") }
            let document = try parser.parseEvent(base, count: json.count)
            return Event(document: document)
        }
    }

    /// Builds one event from a JSON text in CloudEvents structured mode (any whitespace allowed).
    /// - Throws: `IngestFailure` saying why the text is not a valid event.
    public static func parseEvent(_ text: String, limits: IngestLimits = IngestLimits()) throws(IngestFailure) -> Event {
        try parseEvent(Array(text.utf8), limits: limits)
    }
}

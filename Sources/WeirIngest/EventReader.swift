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

    /// Whether `forEach` may read, parse and check on a second thread, ahead of its caller (off
    /// by default: it pays only when the caller does real work per event, as `weir run`'s rules
    /// do). It does so only where that cannot delay an event: an input that is all there already
    /// (a regular file, bytes in memory), with no idle ticks, with a depth limit up to 1,024
    /// (each line read ahead has a parser of its own, sized by the depth), on two processors or more.
    package var readAheadAllowed = false

    private var readsAhead: Bool {
        readAheadAllowed && lines.isAtRest && lines.idle == nil && limits.depth <= 1024 && ReadAhead.processors >= 2
    }

    /// Why reading stopped early, when it did: the events before the failure were delivered and
    /// the input is treated as ending there.
    public var readError: IngestIOError? { lines.readError }

    /// Bytes read from the input so far (for progress reports): while reading ahead, up to the
    /// end of the lines handed to the caller (the reading thread may be further on).
    public var bytesRead: Int { aheadBytes ?? lines.bytesRead }
    /// `bytesRead` while reading ahead.
    private var aheadBytes: Int?

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
        if readsAhead, case let ahead = ReadAhead(lines: lines, limits: limits), ahead.start() {
            defer {
                ahead.stop()
                aheadBytes = nil
            }
            try deliver(from: ahead, into: &stats, accept, rejected: rejected)
        } else {
            reading: while true {
                switch EventReader.read(lines.next(), line: lines.lineNumber, parser: parser, limits: limits) {
                case .end: break reading
                case .blank: continue
                case .document(let view):
                    stats.events += 1
                    try accept(view, lines.lineNumber)
                case .rejected(let line):
                    stats.rejected += 1
                    try rejected(line)
                }
            }
        }
        stats.lines = lines.lineNumber - firstLine
        stats.bytes = lines.bytesRead - firstByte
        return stats
    }

    /// `forEach` while `ahead` reads: its batches' items in order, each batch given back once
    /// handled (a long line is parsed here, with this reader's parser).
    private func deliver(
        from ahead: ReadAhead, into stats: inout IngestStats,
        _ accept: (DocumentView, Int) throws -> Void, rejected: (RejectedLine) throws -> Void
    ) rethrows {
        while let batch = ahead.nextBatch() {
            aheadBytes = batch.bytesRead
            for item in batch.items {
                let outcome: LineOutcome
                let line: Int
                switch item {
                case .document(let slot, let at):
                    (outcome, line) = (.document(batch.views[slot]!), at)
                case .rejected(let bad):
                    (outcome, line) = (.rejected(bad), bad.line)
                case .long(let bytes, let count, let at):
                    (outcome, line) = (EventReader.read(.line(bytes, count: count), line: at, parser: parser, limits: limits), at)
                }
                if case .document(let view) = outcome {
                    stats.events += 1
                    try accept(view, line)
                } else if case .rejected(let bad) = outcome {
                    stats.rejected += 1
                    try rejected(bad)
                }
            }
            ahead.giveBack(batch)
        }
    }

    /// What a line of input is.
    enum LineOutcome {
        /// A valid event, read in place in `parser` (until its next parse).
        case document(DocumentView)
        case rejected(RejectedLine)
        case blank
        case end
    }

    /// Parses and checks one item of the line reader with `parser`.
    static func read(_ item: LineReader.Item, line: Int, parser: DocumentParser, limits: IngestLimits) -> LineOutcome {
        switch item {
        case .end:
            return .end
        case .line(let bytes, let count):
            if count == 0 || LineReader.isBlank(bytes, count: count) { return .blank }
            do {
                return .document(try parser.parseEvent(bytes, count: count))
            } catch {
                let text = Array(UnsafeBufferPointer(start: bytes, count: count))
                return .rejected(RejectedLine(line: line, reason: error.description, text: text))
            }
        case .tooLong(let prefix, let length):
            let reason = IngestFailure.tooLong(bytes: length, limit: limits.lineBytes).description
            return .rejected(RejectedLine(line: line, reason: reason, text: prefix))
        }
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

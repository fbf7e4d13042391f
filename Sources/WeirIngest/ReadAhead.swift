#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import WeirCore

/// Reading, parsing and checking on a second thread, up to a few batches of lines ahead of the
/// caller, which gets the same items in the same order as a reader on its own thread would give
/// it: so on a machine with two cores the engine runs while the next lines are parsed.
///
/// Each batch has its own parsers, one per line, so that a document stays valid (in its parser)
/// until the caller has handled the whole batch and given it back. The batches go round between
/// the two threads under one lock, a batch at a time (the lock is taken twice per batch, not per
/// line). Memory stays bounded: a parser is sized by the lines it parsed, and a line longer than
/// `longLine` is not parsed ahead but handed over where the line reader holds it, for the
/// caller's own parser, alone: the reading thread waits for it to be done.
final class ReadAhead: @unchecked Sendable {
    // Safety: `free`, `ready`, `finished` and `cancelled` are only touched under `lock`;
    // `stashed`, `holdsLine` and the line reader only by the reading thread. A batch belongs to
    // one thread at a time: to the reading thread from when it leaves `free` until it joins
    // `ready`, then to the caller until it is given back. Both moves take the lock, which orders
    // one thread's writes to the batch before the other's reads.

    /// One line as the reading thread left it.
    enum Item {
        /// A valid event, parsed by the batch's parser `slot`.
        case document(slot: Int, line: Int)
        case rejected(RejectedLine)
        /// A line longer than `longLine`, where the line reader holds it (followed by the
        /// parser's padding), to be parsed by the caller: a parser per slot sized for it would
        /// hold that memory for good. The reading thread reads nothing more until the batch is
        /// given back.
        case long(UnsafePointer<UInt8>, count: Int, line: Int)
    }

    final class Batch {
        var items: [Item] = []
        /// The reader's `bytesRead` once the batch was filled.
        var bytesRead = 0
        var views: [DocumentView?]
        var parsers: [DocumentParser]

        init(size: Int, limits: IngestLimits) {
            views = Array(repeating: nil, count: size)
            parsers = (0..<size).map { _ in DocumentParser(limits: limits) }
        }
    }

    /// The processors online: with one, a second thread would only take turns with the first,
    /// so the reader does not read ahead.
    static let processors = sysconf(Int32(_SC_NPROCESSORS_ONLN))

    /// Lines per batch, and batches in flight.
    static let batchSize = 128
    static let batchCount = 4
    /// Lines longer than this are parsed by the caller, not ahead (8 KiB: each parser ahead stays
    /// at most twice simdjson's smallest, whatever the input).
    static let longLine = 8 << 10

    private let lines: LineReader
    private let limits: IngestLimits
    private let batches: [Batch]
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var free: [Int]
    private var ready: [Int] = []
    /// `ready.count` plus one once the input has ended, for the caller to watch without the lock
    /// while it spins (`nextBatch`).
    private let published = Atomic<Int>(0)
    private var finished = false
    private var cancelled = false
    private var thread: pthread_t?
    /// A big line met while a batch had items: the next batch starts with it.
    private var stashed: LineReader.Item?
    /// Whether the batch just filled points into the line reader's buffer (`Item.long`).
    private var holdsLine = false

    init(lines: LineReader, limits: IngestLimits) {
        self.lines = lines
        self.limits = limits
        batches = (0..<ReadAhead.batchCount).map { _ in Batch(size: ReadAhead.batchSize, limits: limits) }
        free = Array(batches.indices)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(lock)
        lock.deallocate()
        changed.deallocate()
    }

    /// Starts the reading thread; false when the system refuses one (then nothing was read, and
    /// the caller reads on its own thread).
    func start() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        #if canImport(Darwin)
        var id: pthread_t?
        let status = pthread_create(&id, nil, { context in
            Unmanaged<ReadAhead>.fromOpaque(context).takeRetainedValue().produce()
            return nil
        }, context)
        #else
        var id = pthread_t()
        let status = pthread_create(&id, nil, { context in
            Unmanaged<ReadAhead>.fromOpaque(context!).takeRetainedValue().produce()
            return nil
        }, context)
        #endif
        guard status == 0 else {
            Unmanaged<ReadAhead>.fromOpaque(context).release()
            return false
        }
        thread = id
        return true
    }

    /// Stops the reading thread (at once if it waits for a batch, else after the batch it fills)
    /// and waits for it to end. Called once, when the caller is done, normally or not.
    func stop() {
        guard let thread else { return }
        pthread_mutex_lock(lock)
        cancelled = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
        pthread_join(thread, nil)
        self.thread = nil
    }

    /// How many times the caller checks for a batch before it sleeps (about 10 µs here). A caller
    /// faster than the reading thread would otherwise sleep and be woken once per batch: with a
    /// rule set that nothing listens to, that made the run 1.55x slower (0.742 s against 0.478 s
    /// on the 1M orders file).
    static let spins = 20_000

    /// The next batch the reading thread filled, in order; nil once it has read everything.
    func nextBatch() -> Batch? {
        var spun = 0
        while published.load(ordering: .acquiring) == 0 && spun < ReadAhead.spins { spun += 1 }
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while ready.isEmpty && !finished { pthread_cond_wait(changed, lock) }
        guard !ready.isEmpty else { return nil }
        published.subtract(1, ordering: .relaxed)
        return batches[ready.removeFirst()]
    }

    /// Gives a batch back (its documents are no longer valid).
    func giveBack(_ batch: Batch) {
        guard let index = batches.firstIndex(where: { $0 === batch }) else { return }
        pthread_mutex_lock(lock)
        free.append(index)
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(lock)
    }

    /// The reading thread: fills free batches until the input ends or the caller stops it.
    private func produce() {
        var atEnd = false
        while !atEnd {
            pthread_mutex_lock(lock)
            while free.isEmpty && !cancelled { pthread_cond_wait(changed, lock) }
            if cancelled {
                pthread_mutex_unlock(lock)
                return
            }
            let index = free.removeFirst()
            pthread_mutex_unlock(lock)
            atEnd = fill(batches[index])
            pthread_mutex_lock(lock)
            ready.append(index)
            if atEnd { finished = true }
            published.add(atEnd ? 2 : 1, ordering: .releasing)
            pthread_cond_broadcast(changed)
            // A line read in place stays valid until its batch comes back: read nothing before.
            while holdsLine && free.count < batches.count && !cancelled { pthread_cond_wait(changed, lock) }
            holdsLine = false
            pthread_mutex_unlock(lock)
        }
    }

    /// Reads lines into `batch` until it is full; true at the end of the input. A batch holds at
    /// most `batchSize` events and four times as many items. A big line (longer than `longLine`,
    /// or over the line limit) goes in a batch of its own, once every other batch has been given
    /// back, and nothing is read after it until it comes back too: memory is then what reading on
    /// one thread takes.
    private func fill(_ batch: Batch) -> Bool {
        batch.items.removeAll(keepingCapacity: true)
        var slot = 0
        while slot < batch.parsers.count && batch.items.count < 4 * ReadAhead.batchSize {
            // The item the last batch ended before, if any (still valid: `next()` was not called).
            let item = stashed ?? lines.next()
            stashed = nil
            if isBig(item) {
                guard batch.items.isEmpty else {
                    stashed = item
                    return false
                }
                waitForTheOthers()
                if case .line(let bytes, let count) = item {
                    batch.items.append(.long(bytes, count: count, line: lines.lineNumber))
                    holdsLine = true
                } else if case .rejected(let line) = EventReader.read(item, line: lines.lineNumber, parser: batch.parsers[0], limits: limits) {
                    batch.items.append(.rejected(line))
                }
                batch.bytesRead = lines.bytesRead
                return false
            }
            defer { batch.bytesRead = lines.bytesRead }
            switch EventReader.read(item, line: lines.lineNumber, parser: batch.parsers[slot], limits: limits) {
            case .end:
                return true
            case .blank:
                continue
            case .document(let view):
                batch.views[slot] = view
                batch.items.append(.document(slot: slot, line: lines.lineNumber))
                slot += 1
            case .rejected(let line):
                batch.items.append(.rejected(line))
            }
        }
        return false
    }

    /// A line longer than `longLine`, or one over the line limit (its prefix is a copy).
    private func isBig(_ item: LineReader.Item) -> Bool {
        switch item {
        case .line(_, let count): return count > ReadAhead.longLine
        case .tooLong: return true
        case .end: return false
        }
    }

    /// Waits until the caller has given back every batch but the one being filled (or stops).
    private func waitForTheOthers() {
        pthread_mutex_lock(lock)
        while free.count < batches.count - 1 && !cancelled { pthread_cond_wait(changed, lock) }
        pthread_mutex_unlock(lock)
    }
}

/// Pending timers (window ends, WITHIN deadlines, saga timeouts), fired in (due time, creation)
/// order once the watermark is past them.
///
/// A timer's `due` is the last instant that is still "before" it: it fires once the watermark is
/// past that instant (`watermark > due`), so an event exactly at `due` is processed first.
/// - A deadline D (WITHIN, absence, timeout): `due = D`.
/// - A window or session [start, end): `due = end - 1` (it fires once `watermark >= end`).
///
/// A timer scheduled with a key replaces the key's previous timer; `cancel(key:)` removes it. A
/// replaced or cancelled timer stays in the heap but is stale: it is skipped, never returned.
/// Stale entries are compacted away when they outnumber the live ones.
///
/// Public with `@inlinable` members for the reason `ReorderBuffer` gives.
///
/// ```swift
/// var timers = TimerQueue<String, String>()
/// timers.schedule("window 10:00", due: end - 1, key: "eu|10:00")
/// while let timer = timers.popDue(watermark: w) { fire(timer.payload) }
/// ```
public struct TimerQueue<Key: Hashable, Payload> {
    /// A timer returned by `popDue`.
    public struct Timer {
        /// The last instant before the timer (it fires once the watermark is greater).
        public var due: EventTime
        /// Creation order, unique in the queue: the tie-break between equal due times.
        public var sequence: UInt64
        /// The key it was scheduled with, if any.
        public var key: Key?
        /// What the timer is for.
        public var payload: Payload

        @inlinable
        init(due: EventTime, sequence: UInt64, key: Key?, payload: Payload) {
            self.due = due
            self.sequence = sequence
            self.key = key
            self.payload = payload
        }
    }

    @usableFromInline
    struct Pending {
        @usableFromInline var key: Key?
        @usableFromInline var payload: Payload

        @inlinable
        init(key: Key?, payload: Payload) {
            self.key = key
            self.payload = payload
        }
    }

    @usableFromInline var heap = TimeOrderedHeap<Pending>()

    /// The payloads of every timer held, in no particular order (stale ones included): for
    /// checking a restored queue against what it will fire into.
    public var payloads: [Payload] { heap.entries.map(\.value.payload) }
    /// The live timer's sequence for every key with one.
    @usableFromInline var live: [Key: UInt64] = [:]
    @usableFromInline var created: UInt64 = 0
    @usableFromInline var stale = 0

    /// An empty queue.
    @inlinable
    public init() {}

    /// Live (not stale) timers.
    @inlinable
    public var count: Int { heap.count - stale }
    /// Whether no live timer is pending.
    @inlinable
    public var isEmpty: Bool { count == 0 }

    /// Schedules a timer; with a key, it replaces that key's pending timer. Returns its sequence.
    @inlinable @discardableResult
    public mutating func schedule(_ payload: Payload, due: EventTime, key: Key? = nil) -> UInt64 {
        created &+= 1
        if let key, live.updateValue(created, forKey: key) != nil { stale += 1 }
        heap.insert(.init(time: due, sequence: created, value: Pending(key: key, payload: payload)))
        return created
    }

    /// Cancels the key's pending timer, if any. Returns whether there was one.
    @inlinable @discardableResult
    public mutating func cancel(key: Key) -> Bool {
        guard live.removeValue(forKey: key) != nil else { return false }
        stale += 1
        compactIfWorthIt()
        return true
    }

    /// Whether the key has a pending timer.
    @inlinable
    public func isScheduled(key: Key) -> Bool { live[key] != nil }

    /// The due instant of the earliest live timer.
    @inlinable
    public mutating func nextDue() -> EventTime? {
        dropStaleTop()
        return heap.first?.time
    }

    /// Removes and returns the earliest live timer that is due (`due < watermark`), or nil.
    @inlinable
    public mutating func popDue(watermark: EventTime) -> Timer? {
        dropStaleTop()
        guard let top = heap.first, top.time < watermark else { return nil }
        _ = heap.popFirst()
        if let key = top.value.key { live.removeValue(forKey: key) }
        return Timer(due: top.time, sequence: top.sequence, key: top.value.key, payload: top.value.payload)
    }

    @inlinable
    func isStale(_ entry: TimeOrderedHeap<Pending>.Entry) -> Bool {
        guard let key = entry.value.key else { return false }
        return live[key] != entry.sequence
    }

    @inlinable
    mutating func dropStaleTop() {
        while stale > 0, let top = heap.first, isStale(top) {
            _ = heap.popFirst()
            stale -= 1
        }
    }

    @inlinable
    mutating func compactIfWorthIt() {
        guard stale > 64, stale > heap.count / 2 else { return }
        let live = self.live
        heap.filter { entry in entry.value.key.map { live[$0] == entry.sequence } ?? true }
        stale = 0
    }
}

extension TimerQueue: Sendable where Key: Sendable, Payload: Sendable {}
extension TimerQueue.Pending: Sendable where Key: Sendable, Payload: Sendable {}
extension TimerQueue.Timer: Sendable where Key: Sendable, Payload: Sendable {}
extension TimerQueue.Timer: Equatable where Key: Equatable, Payload: Equatable {}

extension TimerQueue: Codable where Key: Codable, Payload: Codable {
    private struct Saved: Codable {
        var due: EventTime
        var sequence: UInt64
        var key: Key?
        var payload: Payload
    }

    private enum CodingKeys: String, CodingKey { case timers, created }

    /// Restores the live timers (stale ones are not saved) and the creation counter, so that
    /// timers scheduled after a restore order exactly as in an uninterrupted run.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let saved = try c.decode([Saved].self, forKey: .timers)
        created = try c.decode(UInt64.self, forKey: .created)
        heap = TimeOrderedHeap(entries: saved.map { .init(time: $0.due, sequence: $0.sequence, value: Pending(key: $0.key, payload: $0.payload)) })
        for timer in saved { if let key = timer.key { live[key] = timer.sequence } }
    }

    /// Saves the live timers and the creation counter.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let saved = heap.entries.filter { !isStale($0) }.map {
            Saved(due: $0.time, sequence: $0.sequence, key: $0.value.key, payload: $0.value.payload)
        }
        try c.encode(saved, forKey: .timers)
        try c.encode(created, forKey: .created)
    }
}

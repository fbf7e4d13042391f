import WeirCore

/// A reference to one open window of a `WindowStore`: the payload of the window's timer.
/// Stale once the window fired (its slot may then hold another window: `sequence` tells).
package struct WindowRef: Hashable, Sendable, Codable {
    package var slot: Int32
    package var sequence: UInt64
}

/// A window the watermark closed: its group, bounds, aggregates and cause.
package struct FiredWindow: Hashable, Sendable {
    package var group: GroupKey
    package var window: Window
    /// One per aggregate of the declaration, in the order given to the store.
    package var accumulators: [Accumulator]
    /// The id of the last event the window took: the emitted event's `causationid`.
    package var lastEventId: String
    /// That event's `correlationid`, carried over to the emitted event.
    package var lastCorrelationId: String?
    /// The deepest derivation among its events: what it emits is one further.
    package var depth: Int = 0
    /// Open order in the store (1, 2, ...).
    package var sequence: UInt64
}

/// The open windows of one AGGREGATE: per (group, window), the declaration's accumulators.
///
/// The engine owns the timers (one `TimerQueue` for every declaration, so that past-due timers
/// of several declarations fire in (due, creation) order); the store asks it to schedule one
/// timer per window it opens, with `WindowRef` as payload, and fires the window when told to.
/// Per event, with no allocation in the steady state for count, sum, avg, min and max:
///
/// ```swift
/// let n = store.route(group: key, time: t) { ref, due in timers.schedule(.window(decl, ref), due: due) }
/// for (i, argument) in arguments.enumerated() { store.accumulate(i, evaluate(argument)) }
/// store.setCause(id: event.id, correlationId: event.correlationId)
/// ...
/// case .timer(let t):   // payload .window(decl, ref)
///     if let fired = store.fire(ref, due: t.due, reschedule: { timers.schedule(.window(decl, $0), due: $1) }) { emit(fired) }
/// ```
/// Windows open on their first event (a window no event fell into emits nothing), fire once the
/// watermark reaches their end (their timer's due is `end - 1`), and are freed when fired. A
/// session's timer is scheduled once, for the end at opening; when it comes due after the
/// session grew, `fire` reschedules it for the new end instead of firing.
package struct WindowStore: Sendable {
    private struct Slot: Sendable, Codable {
        var group: GroupKey
        var window: Window
        var session: Session?
        var sequence: UInt64
        var accumulators: [Accumulator]
        var lastEventId = CauseBytes()
        var lastCorrelationId: CauseBytes? = nil
        /// The deepest derivation among its events (input events are 0).
        var depth = 0
    }

    /// The WINDOW clause.
    package let spec: WindowSpec
    /// The aggregates each window keeps, in the order `accumulate` numbers them.
    package let functions: [AggregateFunction]

    private var slots: [Slot?] = []
    private var free: [Int32] = []
    private var index = SlotIndex()
    /// The windows the last `route` chose: the first `touchedCount` entries (the array is
    /// reused, never shrunk).
    private var touched: [Int32] = []
    /// Per slot, its group's string bytes held inline (see `InlineKey`).
    private var inlineKeys: [InlineKey] = []
    private var touchedCount = 0
    /// TUMBLING: the window of the last event routed (empty at first), which the next event is
    /// most often in.
    private var recentTumbling = Window(start: 0, end: 0)
    private var opened: UInt64 = 0
    /// Windows open now.
    package private(set) var openCount = 0
    /// The most windows open at once.
    package private(set) var peakOpenCount = 0
    /// Windows fired so far.
    package private(set) var firedCount: UInt64 = 0

    /// An empty store for a valid `spec`.
    package init(spec: WindowSpec, functions: [AggregateFunction]) {
        precondition(spec.problem == nil, "invalid window specification \(spec)")
        self.spec = spec
        self.functions = functions
    }

    /// Routes an event of `group` at `time` to the windows it belongs to, opening those it is the
    /// first of (calling `schedule` with the new window's timer: payload and due instant). The
    /// following `accumulate` and `setCause` calls apply to those windows. Returns their number.
    @discardableResult
    package mutating func route(group: GroupKey, time: EventTime, schedule: (WindowRef, EventTime) -> Void) -> Int {
        route(hash: group.hash(seed: index.seed), time: time, bytes: nil, matches: { $0 == group }, makeKey: { group },
              schedule: schedule)
    }

    /// `route(group:time:schedule:)` for the GROUP BY value `value` (one `GroupKey(value)`
    /// accepts; an error other than a missing value is refused by the caller): a string is
    /// looked up by its bytes, read in place, and copied only when it opens a window.
    @discardableResult
    package mutating func route(groupValue value: Val, time: EventTime, schedule: (WindowRef, EventTime) -> Void) -> Int {
        switch value {
        case .raw(let r):
            return route(bytes: r.buffer, time: time, makeKey: { GroupKey(value) ?? .missing }, schedule: schedule)
        case .string(var s):
            return s.withUTF8 { bytes in
                route(bytes: bytes, time: time, makeKey: { GroupKey(value) ?? .missing }, schedule: schedule)
            }
        default:
            return route(group: GroupKey(value) ?? .missing, time: time, schedule: schedule)
        }
    }

    @inline(__always)
    private mutating func route(
        bytes: UnsafeBufferPointer<UInt8>, time: EventTime, makeKey: () -> GroupKey, schedule: (WindowRef, EventTime) -> Void
    ) -> Int {
        route(hash: GroupKey.hash(bytes: bytes, seed: index.seed), time: time,
              bytes: bytes, matches: { $0.isString(bytes: bytes) },
              makeKey: makeKey, schedule: schedule)
    }

    /// The routing itself: `hash` is the group's hash, `matches` tells its key, `makeKey` builds
    /// it (only when a window opens).
    @inline(__always)
    private mutating func route(
        hash: UInt64, time: EventTime, bytes: UnsafeBufferPointer<UInt8>?, matches: (GroupKey) -> Bool,
        makeKey: () -> GroupKey, schedule: (WindowRef, EventTime) -> Void
    ) -> Int {
        touchedCount = 0
        if case .session(let gap) = spec {
            let found = find(hash: hash, start: .min, bytes: bytes, matches: matches)
            if let s = found, slots[Int(s)]!.session!.admits(time) {
                slots[Int(s)]!.session!.add(time)
                slots[Int(s)]!.window = slots[Int(s)]!.session!.window
                touch(s)
            } else {
                // A session the watermark should already have closed stays in its slot until
                // its timer fires; the group's new session takes the index.
                let key = makeKey()
                var keyHash = hash
                var previous = found
                if !matches(key) {
                    // The key is not the bytes looked up (a string repaired as UTF-8): by the key.
                    keyHash = key.hash(seed: index.seed)
                    previous = find(hash: keyHash, start: .min) { $0 == key }
                    if let s = previous, slots[Int(s)]!.session!.admits(time) {
                        slots[Int(s)]!.session!.add(time)
                        slots[Int(s)]!.window = slots[Int(s)]!.session!.window
                        touch(s)
                        return touchedCount
                    }
                }
                let session = Session(at: time, gap: gap)
                let s = open(group: key, window: session.window, session: session, schedule: schedule)
                if let previous {
                    index.replace(hash: keyHash, start: .min, old: previous, new: s)
                } else {
                    index.insert(hash: keyHash, start: .min, slot: s)
                }
                touch(s)
            }
        } else if recentTumbling.contains(time) {
            // The window of the previous event (tumbling): no division to find it.
            route(window: recentTumbling, hash: hash, bytes: bytes, matches: matches, makeKey: makeKey, schedule: schedule)
        } else {
            for window in spec.windows(containing: time) {
                if case .tumbling = spec { recentTumbling = window }
                route(window: window, hash: hash, bytes: bytes, matches: matches, makeKey: makeKey, schedule: schedule)
            }
        }
        return touchedCount
    }

    /// Touches the group's `window`, opening it if needed.
    @inline(__always)
    private mutating func route(
        window: Window, hash: UInt64, bytes: UnsafeBufferPointer<UInt8>?, matches: (GroupKey) -> Bool, makeKey: () -> GroupKey,
        schedule: (WindowRef, EventTime) -> Void
    ) {
        if let s = find(hash: hash, start: window.start, bytes: bytes, matches: matches) {
            touch(s)
            return
        }
        let key = makeKey()
        var keyHash = hash
        if !matches(key) {
            // The key is not the bytes looked up (a string repaired as UTF-8): by the key.
            keyHash = key.hash(seed: index.seed)
            if let s = find(hash: keyHash, start: window.start, matches: { $0 == key }) {
                touch(s)
                return
            }
        }
        let s = open(group: key, window: window, session: nil, schedule: schedule)
        index.insert(hash: keyHash, start: window.start, slot: s)
        touch(s)
    }

    @inline(__always)
    private mutating func touch(_ s: Int32) {
        if touchedCount < touched.count { touched[touchedCount] = s } else { touched.append(s) }
        touchedCount += 1
    }

    @inline(__always)
    private func find(hash: UInt64, start: EventTime, matches: (GroupKey) -> Bool) -> Int32? {
        index.find(hash: hash, start: start) { s in matches(slots[Int(s)]!.group) }
    }

    /// `find`, comparing a string's `bytes` with the slot's inline copy of its key when it can.
    @inline(__always)
    private func find(hash: UInt64, start: EventTime, bytes: UnsafeBufferPointer<UInt8>?, matches: (GroupKey) -> Bool) -> Int32? {
        index.find(hash: hash, start: start) { s in
            if let bytes, let known = inlineKeys[Int(s)].matches(bytes) { return known }
            return matches(slots[Int(s)]!.group)
        }
    }

    private mutating func open(
        group: GroupKey, window: Window, session: Session?, schedule: (WindowRef, EventTime) -> Void
    ) -> Int32 {
        opened &+= 1
        let slot = Slot(
            group: group, window: window, session: session, sequence: opened,
            accumulators: functions.map(Accumulator.init))
        let s: Int32
        if let reused = free.popLast() {
            s = reused
            slots[Int(s)] = slot
            inlineKeys[Int(s)] = InlineKey(group)
        } else {
            s = Int32(slots.count)
            slots.append(slot)
            inlineKeys.append(InlineKey(group))
        }
        openCount += 1
        if openCount > peakOpenCount { peakOpenCount = openCount }
        schedule(WindowRef(slot: s, sequence: opened), window.due)
        return s
    }

    /// Offers aggregate `aggregate`'s argument value to every window the last `route` chose.
    @inline(__always)
    package mutating func accumulate(_ aggregate: Int, _ value: Val) {
        for t in 0..<touchedCount { slots[Int(touched[t])]!.accumulators[aggregate].add(value) }
    }

    /// Offers every aggregate its argument value for the routed event, window by window:
    /// aggregate `i` takes `values[argumentSlots[i]]`, or nothing (`count()`) when that is negative.
    package mutating func accumulate(_ values: [Val], argumentSlots: [Int]) {
        for t in 0..<touchedCount {
            slots[Int(touched[t])]!.accumulators.withUnsafeMutableBufferPointer { accumulators in
                for i in accumulators.indices {
                    let a = argumentSlots[i]
                    accumulators[i].add(a < 0 ? .bool(true) : values[a])
                }
            }
        }
    }

    /// Records the routed event as the last one of its windows (its id and correlation id, for
    /// the emitted event); ids of up to 32 bytes are kept inline, so recording them does not allocate.
    package mutating func setCause(id: UnsafeBufferPointer<UInt8>, correlationId: UnsafeBufferPointer<UInt8>?, depth: Int = 0) {
        for t in 0..<touchedCount {
            let s = Int(touched[t])
            slots[s]!.lastEventId.set(id)
            if depth > slots[s]!.depth { slots[s]!.depth = depth }
            if let correlationId {
                if slots[s]!.lastCorrelationId == nil {
                    slots[s]!.lastCorrelationId = CauseBytes(correlationId)
                } else {
                    slots[s]!.lastCorrelationId!.set(correlationId)
                }
            } else if slots[s]!.lastCorrelationId != nil {
                slots[s]!.lastCorrelationId = nil
            }
        }
    }

    /// `setCause` with strings.
    package mutating func setCause(id: String, correlationId: String?) {
        var id = id
        var correlation = correlationId
        id.withUTF8 { idBytes in
            if correlation == nil {
                setCause(id: idBytes, correlationId: nil)
            } else {
                correlation!.withUTF8 { setCause(id: idBytes, correlationId: $0) }
            }
        }
    }

    /// Fires the window `ref` names when its timer (due `due`) comes due: returns it and frees
    /// its state. Returns nil for a stale reference, and for a session that grew since the timer
    /// was scheduled: it then calls `reschedule` with the session's new due instant.
    package mutating func fire(_ ref: WindowRef, due: EventTime, reschedule: (WindowRef, EventTime) -> Void) -> FiredWindow? {
        let s = Int(ref.slot)
        guard s >= 0, s < slots.count, let slot = slots[s], slot.sequence == ref.sequence else { return nil }
        if slot.session != nil, slot.window.due > due {
            reschedule(ref, slot.window.due)
            return nil
        }
        slots[s] = nil
        free.append(ref.slot)
        index.remove(hash: slot.group.hash(seed: index.seed), start: slot.session == nil ? slot.window.start : .min, slot: ref.slot)
        openCount -= 1
        firedCount &+= 1
        return FiredWindow(
            group: slot.group, window: slot.window, accumulators: slot.accumulators,
            lastEventId: slot.lastEventId.string,
            lastCorrelationId: slot.lastCorrelationId?.string,
            depth: slot.depth, sequence: slot.sequence)
    }
}

extension WindowStore: Codable {
    private enum CodingKeys: String, CodingKey { case spec, functions, slots, free, opened, peak, fired }

    /// Restores a snapshot: slot numbers are kept, so the `WindowRef`s in a restored timer
    /// queue still name their windows.
    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        spec = try c.decode(WindowSpec.self, forKey: .spec)
        functions = try c.decode([AggregateFunction].self, forKey: .functions)
        slots = try c.decode([Slot?].self, forKey: .slots)
        inlineKeys = slots.map { $0.map { InlineKey($0.group) } ?? InlineKey(.all) }
        opened = try c.decode(UInt64.self, forKey: .opened)
        peakOpenCount = try c.decode(Int.self, forKey: .peak)
        firedCount = try c.decode(UInt64.self, forKey: .fired)
        // A snapshot is input: refuse one that does not fit together, rather than trap later.
        func corrupt(_ why: String) -> DecodingError {
            .dataCorrupted(.init(codingPath: c.codingPath, debugDescription: "window store snapshot: \(why)"))
        }
        guard spec.problem == nil else { throw corrupt("invalid window \(spec)") }
        for slot in slots.compactMap({ $0 }) {
            guard slot.accumulators.map(\.function) == functions else { throw corrupt("aggregates differ from \(functions)") }
            guard (slot.session != nil) == spec.isSession, slot.sequence <= opened else { throw corrupt("a window does not fit") }
        }
        // The index names each group's latest session; rebuilt in open order.
        let live = slots.indices.compactMap { i in slots[i].map { (Int32(i), $0) } }.sorted { $0.1.sequence < $1.1.sequence }
        for (s, slot) in live {
            let start = slot.session == nil ? slot.window.start : .min
            let hash = slot.group.hash(seed: index.seed)
            let group = slot.group
            if let previous = index.find(hash: hash, start: start, matches: { slots[Int($0)]!.group == group }) {
                index.replace(hash: hash, start: start, old: previous, new: s)
            } else {
                index.insert(hash: hash, start: start, slot: s)
            }
        }
        openCount = live.count
        free = try c.decode([Int32].self, forKey: .free)
        guard Set(free).count == free.count, free.allSatisfy({ $0 >= 0 && Int($0) < slots.count && slots[Int($0)] == nil }) else {
            throw corrupt("its free list names an open or missing slot")
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(spec, forKey: .spec)
        try c.encode(functions, forKey: .functions)
        try c.encode(slots, forKey: .slots)
        try c.encode(free, forKey: .free)
        try c.encode(opened, forKey: .opened)
        try c.encode(peakOpenCount, forKey: .peak)
        try c.encode(firedCount, forKey: .fired)
    }
}

/// A string group key's bytes in two words (up to 16 bytes, `GroupHash.words`), so that an
/// event's borrowed bytes are compared with a key without touching its `String` (no reference
/// counting, no loop). A plain value.
private struct InlineKey {
    private var first: UInt64 = 0
    private var last: UInt64 = 0
    /// The byte count; -1 for a key that is not a string, -2 for a string beyond 16 bytes.
    private var count = -1

    init(_ key: GroupKey) {
        guard case .string(let s) = key else { return }
        var text = s.string
        text.withUTF8 { bytes in
            guard bytes.count <= 16 else {
                count = -2
                return
            }
            count = bytes.count
            (first, last) = GroupHash.words(UnsafeRawBufferPointer(bytes))
        }
    }

    /// Whether the key is the string with these bytes; nil when only the key itself can tell.
    @inline(__always)
    func matches(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        if count == -2 { return bytes.count > 16 ? nil : false }
        guard count == bytes.count else { return false }
        let (a, b) = GroupHash.words(UnsafeRawBufferPointer(bytes))
        return a == first && b == last
    }
}

/// A `WindowStore`'s index from (group, window start) to the slot of the open window: an
/// open-addressing table with linear probing, keyed by the group's seeded 64-bit hash
/// (`GroupKey.hash(seed:)`) and the start, so that an event of a known group finds its window
/// without building a `GroupKey` or hashing with SipHash. Groups are compared (by the caller's
/// `matches`) only on a full hash and start match. At most half full; deletion shifts the
/// following entries back, so no tombstones accumulate.
struct SlotIndex: Sendable {
    private struct Bucket: Sendable {
        var hash: UInt64
        var start: EventTime
        /// -1 when empty.
        var slot: Int32
    }

    private static let empty = Bucket(hash: 0, start: 0, slot: -1)
    private var buckets = [Bucket](repeating: SlotIndex.empty, count: 16)
    private var mask = 15
    /// Entries held.
    private(set) var count = 0
    /// The seed of the group hashes in this index.
    let seed = GroupHash.processSeed

    init() {}

    @inline(__always)
    private func home(_ hash: UInt64, _ start: EventTime) -> Int {
        Int(truncatingIfNeeded: GroupHash.mix(hash ^ (UInt64(bitPattern: start) &* 0x9E37_79B9_7F4A_7C15))) & mask
    }

    /// The slot stored for `hash` and `start` whose group `matches` accepts, or nil.
    @inline(__always)
    func find(hash: UInt64, start: EventTime, matches: (Int32) -> Bool) -> Int32? {
        var i = home(hash, start)
        while true {
            let b = buckets[i]
            if b.slot < 0 { return nil }
            if b.hash == hash, b.start == start, matches(b.slot) { return b.slot }
            i = (i + 1) & mask
        }
    }

    /// Adds an entry (the caller checked that the key has none).
    mutating func insert(hash: UInt64, start: EventTime, slot: Int32) {
        if (count + 1) * 2 > buckets.count { grow() }
        place(Bucket(hash: hash, start: start, slot: slot))
        count += 1
    }

    /// Points the entry naming slot `old` (for `hash` and `start`) at slot `new`.
    mutating func replace(hash: UInt64, start: EventTime, old: Int32, new: Int32) {
        guard let i = position(hash: hash, start: start, slot: old) else { return }
        buckets[i].slot = new
    }

    /// Removes the entry naming slot `slot` (for `hash` and `start`), if there is one.
    mutating func remove(hash: UInt64, start: EventTime, slot: Int32) {
        guard var i = position(hash: hash, start: start, slot: slot) else { return }
        count -= 1
        // Backward shift: move back each following entry whose home is not in (i, j].
        var j = i
        while true {
            j = (j + 1) & mask
            let b = buckets[j]
            if b.slot < 0 { break }
            let k = home(b.hash, b.start)
            let stays = i <= j ? (i < k && k <= j) : (i < k || k <= j)
            if stays { continue }
            buckets[i] = b
            i = j
        }
        buckets[i] = SlotIndex.empty
    }

    private func position(hash: UInt64, start: EventTime, slot: Int32) -> Int? {
        var i = home(hash, start)
        while true {
            let b = buckets[i]
            if b.slot < 0 { return nil }
            if b.slot == slot, b.hash == hash, b.start == start { return i }
            i = (i + 1) & mask
        }
    }

    private mutating func place(_ bucket: Bucket) {
        var i = home(bucket.hash, bucket.start)
        while buckets[i].slot >= 0 { i = (i + 1) & mask }
        buckets[i] = bucket
    }

    private mutating func grow() {
        let old = buckets
        buckets = [Bucket](repeating: SlotIndex.empty, count: old.count * 2)
        mask = buckets.count - 1
        for b in old where b.slot >= 0 { place(b) }
    }
}

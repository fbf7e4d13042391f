import WeirCore

/// A PATTERN's partitions by key: each key with live runs has a slot (a small integer reused
/// once its partition empties). An event's string key is looked up in place, without building
/// a `GroupKey` (only a new partition builds one).
///
/// An open-addressing table with linear probing on the key's seeded 64-bit hash
/// (`GroupKey.hash(seed:)`), at most half full; keys are compared only on a full hash match.
/// Deletion shifts the following entries back, so no tombstones accumulate.
package struct PartitionIndex: Sendable {
    private struct Bucket: Sendable {
        var hash: UInt64
        /// -1 when empty.
        var slot: Int32
    }

    private static let empty = Bucket(hash: 0, slot: -1)
    private var buckets = [Bucket](repeating: PartitionIndex.empty, count: 16)
    private var mask = 15
    /// Each slot's key; nil for a free slot.
    package private(set) var keys: [GroupKey?] = []
    private var free: [Int32] = []
    /// Partitions held.
    package private(set) var count = 0
    private let seed = GroupHash.processSeed

    package init() {}

    /// The slot of the partition with key `value`, if it has one. A missing or erring value has none.
    @inline(__always)
    package func find(_ value: Val) -> Int32? {
        switch value {
        case .raw(let r): return find(bytes: r.buffer)
        case .string(var s): return s.withUTF8 { find(bytes: $0) }
        default:
            guard let key = GroupKey(value) else { return nil }
            return find(key)
        }
    }

    /// The slot of the partition with key `key`, if any.
    package func find(_ key: GroupKey) -> Int32? {
        if case .string(let s) = key {
            var text = s.string
            return text.withUTF8 { find(bytes: $0) }
        }
        let hash = key.hash(seed: seed)
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let b = buckets[i]
            if b.slot < 0 { return nil }
            if b.hash == hash, keys[Int(b.slot)] == key { return b.slot }
            i = (i + 1) & mask
        }
    }

    @inline(__always)
    private func find(bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        let hash = GroupKey.hash(bytes: bytes, seed: seed)
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let b = buckets[i]
            if b.slot < 0 { return nil }
            if b.hash == hash, keys[Int(b.slot)]?.isString(bytes: bytes) == true { return b.slot }
            i = (i + 1) & mask
        }
    }

    /// A new partition for `key` (the caller checked that it has none); its slot.
    package mutating func insert(_ key: GroupKey) -> Int32 {
        let slot: Int32
        if let reused = free.popLast() {
            slot = reused
            keys[Int(slot)] = key
        } else {
            slot = Int32(keys.count)
            keys.append(key)
        }
        place(hash: key.hash(seed: seed), slot: slot)
        return slot
    }

    /// A partition for `key` in slot `slot` (restoring a snapshot, whose timers name slots);
    /// the slots below it that are not taken become free. Returns the slot.
    package mutating func insert(_ key: GroupKey, at slot: Int32) -> Int32 {
        guard slot >= 0, slot < 1 << 30, find(key) == nil else { return find(key) ?? insert(key) }
        while keys.count <= Int(slot) {
            free.append(Int32(keys.count))
            keys.append(nil)
        }
        guard keys[Int(slot)] == nil else { return insert(key) }
        free.removeAll { $0 == slot }
        keys[Int(slot)] = key
        place(hash: key.hash(seed: seed), slot: slot)
        return slot
    }

    /// Frees a partition's slot.
    package mutating func remove(_ slot: Int32) {
        guard Int(slot) < keys.count, let key = keys[Int(slot)] else { return }
        let hash = key.hash(seed: seed)
        var i = Int(truncatingIfNeeded: hash) & mask
        while buckets[i].slot != slot {
            if buckets[i].slot < 0 { return }
            i = (i + 1) & mask
        }
        count -= 1
        // Backward shift: move back each following entry whose home is not in (i, j].
        var j = i
        while true {
            j = (j + 1) & mask
            let b = buckets[j]
            if b.slot < 0 { break }
            let k = Int(truncatingIfNeeded: b.hash) & mask
            let stays = i <= j ? (i < k && k <= j) : (i < k || k <= j)
            if stays { continue }
            buckets[i] = b
            i = j
        }
        buckets[i] = PartitionIndex.empty
        keys[Int(slot)] = nil
        free.append(slot)
    }

    private mutating func place(hash: UInt64, slot: Int32) {
        if (count + 1) * 2 > buckets.count {
            let old = buckets
            buckets = [Bucket](repeating: PartitionIndex.empty, count: old.count * 2)
            mask = buckets.count - 1
            for b in old where b.slot >= 0 { put(b) }
        }
        put(Bucket(hash: hash, slot: slot))
        count += 1
    }

    private mutating func put(_ bucket: Bucket) {
        var i = Int(truncatingIfNeeded: bucket.hash) & mask
        while buckets[i].slot >= 0 { i = (i + 1) & mask }
        buckets[i] = bucket
    }
}

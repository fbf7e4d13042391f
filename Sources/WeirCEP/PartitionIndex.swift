import WeirCore

/// A PATTERN's partitions by key: each key with live runs has a slot (a small integer reused
/// once its partition empties). An event's string key is looked up in place, without building
/// a `GroupKey` (only a new partition builds one). The table is a `SlotIndex` (the window
/// store's), every entry at start 0.
package struct PartitionIndex: Sendable {
    private var index = SlotIndex()
    /// Each slot's key; nil for a free slot.
    package private(set) var keys: [GroupKey?] = []
    private var free: [Int32] = []

    package init() {}

    /// Partitions held.
    package var count: Int { index.count }

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
        return index.find(hash: key.hash(seed: index.seed), start: 0) { keys[Int($0)] == key }
    }

    @inline(__always)
    private func find(bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        index.find(hash: GroupKey.hash(bytes: bytes, seed: index.seed), start: 0) { keys[Int($0)]?.isString(bytes: bytes) == true }
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
        index.insert(hash: key.hash(seed: index.seed), start: 0, slot: slot)
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
        index.insert(hash: key.hash(seed: index.seed), start: 0, slot: slot)
        return slot
    }

    /// Frees a partition's slot.
    package mutating func remove(_ slot: Int32) {
        guard Int(slot) < keys.count, let key = keys[Int(slot)] else { return }
        index.remove(hash: key.hash(seed: index.seed), start: 0, slot: slot)
        keys[Int(slot)] = nil
        free.append(slot)
    }
}

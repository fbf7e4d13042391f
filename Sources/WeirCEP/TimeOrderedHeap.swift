/// A binary min-heap of values ordered by (time, sequence): the shared core of the reorder
/// buffer and the timer queue. Sequences are unique, so the order is total and deterministic.
@usableFromInline
struct TimeOrderedHeap<Value> {
    @usableFromInline
    struct Entry {
        @usableFromInline var time: Int64
        @usableFromInline var sequence: UInt64
        @usableFromInline var value: Value

        @inlinable
        init(time: Int64, sequence: UInt64, value: Value) {
            self.time = time
            self.sequence = sequence
            self.value = value
        }

        @inlinable @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            time < other.time || (time == other.time && sequence < other.sequence)
        }
    }

    @usableFromInline private(set) var entries: [Entry] = []

    @inlinable
    init() {}

    /// Builds a heap from entries in any order.
    @inlinable
    init(entries: [Entry]) {
        self.entries = entries
        var i = entries.count / 2
        while i > 0 {
            i -= 1
            siftDown(i)
        }
    }

    @inlinable
    var count: Int { entries.count }
    @inlinable
    var isEmpty: Bool { entries.isEmpty }
    @inlinable
    var first: Entry? { entries.first }

    @inlinable
    mutating func insert(_ entry: Entry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].precedes(entries[parent]) else { break }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    @inlinable
    mutating func popFirst() -> Entry? {
        guard !entries.isEmpty else { return nil }
        if entries.count == 1 { return entries.removeLast() }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        siftDown(0)
        return top
    }

    /// Keeps only the entries `keep` accepts (then restores the heap order).
    @inlinable
    mutating func filter(_ keep: (Entry) -> Bool) {
        self = TimeOrderedHeap(entries: entries.filter(keep))
    }

    @inlinable
    mutating func siftDown(_ start: Int) {
        var parent = start
        let n = entries.count
        while true {
            let left = 2 * parent + 1
            guard left < n else { return }
            var best = left
            if left + 1 < n, entries[left + 1].precedes(entries[left]) { best = left + 1 }
            guard entries[best].precedes(entries[parent]) else { return }
            entries.swapAt(best, parent)
            parent = best
        }
    }
}

extension TimeOrderedHeap: Sendable where Value: Sendable {}
extension TimeOrderedHeap.Entry: Sendable where Value: Sendable {}
extension TimeOrderedHeap.Entry: Codable where Value: Codable {}
extension TimeOrderedHeap.Entry: Equatable where Value: Equatable {}

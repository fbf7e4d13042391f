/// A first-in first-out queue over one growable array: appends at the tail, removals at the
/// head, the consumed prefix reclaimed once it is at least half the storage (amortised O(1)).
struct Ring<Element> {
    private var storage: [Element] = []
    private var head = 0

    /// How many elements are queued.
    var count: Int { storage.count - head }
    var isEmpty: Bool { head == storage.count }
    /// The oldest element, when any.
    var first: Element? { isEmpty ? nil : storage[head] }

    mutating func append(_ element: Element) { storage.append(element) }

    /// Removes and returns the oldest element, when any.
    mutating func popFirst() -> Element? {
        guard head < storage.count else { return nil }
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }

    mutating func removeAll() {
        storage.removeAll()
        head = 0
    }

    /// The queued elements, oldest first.
    var elements: ArraySlice<Element> { storage[head...] }
}

extension Ring: Sendable where Element: Sendable {}

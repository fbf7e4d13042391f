import WeirCEP
import WeirCompiler
import WeirCore
import WeirSyntax

/// One partial match of a PATTERN: where it is, what it bound (as slots, not events), and
/// the identity of its last bound event (for `causationid`).
struct PatternRun: Sendable {
    /// Unique in the engine, in creation order: the key of the run's timer.
    var id: Int
    /// The id of the run an event started that this one descends from by `THEN ANY` forks
    /// (its own id otherwise). Runs are kept, and complete, in (origin, id) order: the order
    /// their first events arrived, a fork after its origin's earlier forks.
    var origin: Int
    /// The step of its latest bound event, and how many events that step has bound.
    var step: Int
    var count: Int
    /// A `collect` accumulator took a value its slot does not show yet (see `refreshed`).
    var collectStale = false
    /// One more than the deepest derivation among its bound events: the depth of what it emits
    /// at a deadline (so that a pattern feeding itself through timers is bounded too).
    var depth = 1
    /// The time of its first bound event.
    var start: EventTime
    /// The time the current step's window counts from: the previous step's last bound event
    /// (for the first step, the run's start).
    var anchor: EventTime
    /// The time of its latest bound event.
    var last: EventTime
    /// An event of its partition went by unbound since the last one it bound (`NEXT` needs
    /// the very next one).
    var broken = false
    /// The due instant of its scheduled timer, if any.
    var deadline: EventTime?
    var lastId: String
    var lastCorrelation: String?
    var slots: [Val]
    var accumulators: [Accumulator]
}

extension PatternRun {
    /// A run's fixed size in bytes: its record plus its slot and accumulator arrays.
    static func fixedBytes(slots: Int, accumulators: Int) -> Int {
        MemoryLayout<PatternRun>.stride + 32 * (slots > 0 ? 1 : 0) + slots * MemoryLayout<Val>.stride
            + 32 * (accumulators > 0 ? 1 : 0) + accumulators * MemoryLayout<Accumulator>.stride
    }
}

/// A PATTERN's live runs, by partition: a partition with no live run holds no memory.
struct PatternState: Sendable {
    var partitions = PartitionIndex()
    /// By partition slot, in start order.
    var runs: [[PatternRun]] = []
    var live = 0
    var peak = 0
    /// Runs in creation order, for dropping the oldest across partitions (entries of ended
    /// runs are skipped, and compacted away when they pile up).
    var order: [(id: Int, partition: Int32)] = []
    var orderHead = 0

    init() {}

    /// The slot of the partition with key `value`, if any (mutating so that it reads the
    /// state in place: a read through the engine's array would copy it).
    @inline(__always)
    mutating func findPartition(_ value: Val) -> Int32? { partitions.find(value) }

    mutating func findPartition(_ key: GroupKey) -> Int32? { partitions.find(key) }

    /// A partition's runs, taken out (the partition holds none until they are put back), so
    /// that they change in place.
    @inline(__always)
    mutating func takeRuns(_ slot: Int32) -> [PatternRun] {
        var taken: [PatternRun] = []
        swap(&taken, &runs[Int(slot)])
        return taken
    }

    /// The partition slot for `key`, created if new.
    mutating func partition(for key: GroupKey) -> Int32 {
        if let slot = partitions.find(key) { return slot }
        let slot = partitions.insert(key)
        if Int(slot) == runs.count { runs.append([]) }
        return slot
    }

    /// Drops the entries of ended runs from `order` once they outnumber the live ones.
    mutating func compactOrder() {
        let pending = order.count - orderHead
        guard pending > 2 * live + 1024 else {
            if orderHead > 4096, orderHead * 2 > order.count {
                order.removeFirst(orderHead)
                orderHead = 0
            }
            return
        }
        var rebuilt: [(id: Int, partition: Int32)] = []
        rebuilt.reserveCapacity(live)
        for (slot, partition) in runs.enumerated() {
            for run in partition { rebuilt.append((run.id, Int32(slot))) }
        }
        rebuilt.sort { $0.id < $1.id }
        order = rebuilt
        orderHead = 0
    }

    /// Frees a partition once its last run has ended.
    mutating func releaseIfEmpty(_ slot: Int32) {
        guard runs[Int(slot)].isEmpty else { return }
        runs[Int(slot)] = []
        partitions.remove(slot)
    }
}

/// What the engine does when a new run would pass a cap on live runs.
public enum OverloadPolicy: String, Sendable, Hashable, Codable, CaseIterable {
    /// End the oldest live run (of the partition, or of the pattern for the global cap).
    case dropOldest = "drop-oldest"
    /// Do not start the new run.
    case refuseNew = "refuse-new"
    /// Stop the run with an error.
    case fail
}

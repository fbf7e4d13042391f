import WeirCEP
import WeirCore

/// A PATTERN's live runs as a snapshot holds them: each partition's key and runs.
struct PatternSnapshot: Codable, Sendable {
    var partitions: [Partition]
    var live: Int
    var peak: Int

    struct Partition: Codable, Sendable {
        /// Its slot (the run timers name it).
        var slot: Int32
        var key: GroupKey
        var runs: [PatternRun]
    }
}

extension PatternState {
    var snapshot: PatternSnapshot {
        var partitions: [PatternSnapshot.Partition] = []
        for (slot, runs) in self.runs.enumerated() where !runs.isEmpty {
            guard let key = self.partitions.keys[slot] else { continue }
            partitions.append(.init(slot: Int32(slot), key: key, runs: runs))
        }
        return PatternSnapshot(partitions: partitions, live: live, peak: peak)
    }

    /// This pattern's state with the snapshot's runs.
    mutating func restore(_ snapshot: PatternSnapshot) {
        partitions = PartitionIndex()
        runs = []
        order = []
        orderHead = 0
        for partition in snapshot.partitions {
            let slot = self.partitions.insert(partition.key, at: partition.slot)
            while runs.count <= Int(slot) { runs.append([]) }
            runs[Int(slot)] = partition.runs
            for run in partition.runs { order.append((run.id, slot)) }
        }
        order.sort { $0.id < $1.id }
        live = snapshot.partitions.reduce(0) { $0 + $1.runs.count }
        peak = max(snapshot.peak, live)
    }
}

extension PatternRun: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, origin, collectStale, depth, step, count, start, anchor, last, broken, deadline, lastId, lastCorrelation, slots, accumulators
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Int.self, forKey: .id)
        origin = try c.decode(Int.self, forKey: .origin)
        collectStale = try c.decode(Bool.self, forKey: .collectStale)
        depth = try c.decode(Int.self, forKey: .depth)
        step = try c.decode(Int.self, forKey: .step)
        count = try c.decode(Int.self, forKey: .count)
        start = try c.decode(EventTime.self, forKey: .start)
        anchor = try c.decode(EventTime.self, forKey: .anchor)
        last = try c.decode(EventTime.self, forKey: .last)
        broken = try c.decode(Bool.self, forKey: .broken)
        deadline = try c.decodeIfPresent(EventTime.self, forKey: .deadline)
        lastId = try c.decode(String.self, forKey: .lastId)
        lastCorrelation = try c.decodeIfPresent(String.self, forKey: .lastCorrelation)
        slots = try c.decode([CodableVal].self, forKey: .slots).map(\.value)
        accumulators = try c.decode([Accumulator].self, forKey: .accumulators)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(origin, forKey: .origin)
        try c.encode(collectStale, forKey: .collectStale)
        try c.encode(depth, forKey: .depth)
        try c.encode(step, forKey: .step)
        try c.encode(count, forKey: .count)
        try c.encode(start, forKey: .start)
        try c.encode(anchor, forKey: .anchor)
        try c.encode(last, forKey: .last)
        try c.encode(broken, forKey: .broken)
        try c.encodeIfPresent(deadline, forKey: .deadline)
        try c.encode(lastId, forKey: .lastId)
        try c.encodeIfPresent(lastCorrelation, forKey: .lastCorrelation)
        try c.encode(slots.map(CodableVal.init), forKey: .slots)
        try c.encode(accumulators, forKey: .accumulators)
    }
}

/// A slot's value as `Codable`: a JSON value, or an error kind (`{"error":"cast"}`).
struct CodableVal: Codable {
    var value: Val

    init(_ value: Val) { self.value = value }

    private enum CodingKeys: String, CodingKey { case error, json }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let kind = try c.decodeIfPresent(String.self, forKey: .error) {
            guard let k = EvaluationErrorKind(rawValue: kind) else {
                throw DecodingError.dataCorruptedError(forKey: .error, in: c, debugDescription: "unknown error kind '\(kind)'")
            }
            value = .error(k)
        } else {
            value = Val(try c.decode(CodableJSON.self, forKey: .json).value, narrow: false)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if let json = value.json {
            try c.encode(CodableJSON(json), forKey: .json)
        } else if case .error(let kind) = value {
            try c.encode(kind.rawValue, forKey: .error)
        } else {
            try c.encode(EvaluationErrorKind.missingAttribute.rawValue, forKey: .error)
        }
    }
}

extension SagaInstance: Codable {
    private enum CodingKeys: String, CodingKey { case id, number, key, machine, slots, lastEventId, depth }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        number = try c.decode(Int.self, forKey: .number)
        key = try c.decode(GroupKey.self, forKey: .key)
        machine = try c.decode(SagaMachine.self, forKey: .machine)
        slots = try c.decode([CodableVal].self, forKey: .slots).map(\.value)
        lastEventId = try c.decode(String.self, forKey: .lastEventId)
        depth = try c.decode(Int.self, forKey: .depth)
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(number, forKey: .number)
        try c.encode(key, forKey: .key)
        try c.encode(machine, forKey: .machine)
        try c.encode(slots.map(CodableVal.init), forKey: .slots)
        try c.encode(lastEventId, forKey: .lastEventId)
        try c.encode(depth, forKey: .depth)
    }
}

/// A SAGA's instances as a snapshot holds them (the indexes are rebuilt on restore).
struct SagaSnapshot: Codable, Sendable {
    var live: [SagaInstance]
    var ended: [SagaInstance]
    var nextNumber: Int
    var timersPending: Int
}

extension SagaState {
    var snapshot: SagaSnapshot {
        SagaSnapshot(live: live.values.sorted { $0.number < $1.number }, ended: ended, nextNumber: nextNumber, timersPending: timersPending)
    }

    init(restoring s: SagaSnapshot) {
        self.init()
        for instance in s.live {
            live[instance.number] = instance
            byKey[instance.key] = instance.number
            byId[instance.id] = instance.number
        }
        ended = s.ended
        order = s.live.map(\.number).sorted()
        nextNumber = s.nextNumber
        timersPending = s.timersPending
    }
}

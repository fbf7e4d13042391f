import WeirTestSupport
import Testing
import WeirCEP
import WeirCore
@testable import WeirEngine

/// `EmittedEvent.write(to:)`, the engine's output path that skips packing, writes exactly the
/// bytes of the packed `Event` it stands for (`event.write(to:)`).
@Suite struct EmittedEventWriteTests {
    static func bytes(_ body: (inout JSONWriter) -> Void) -> [UInt8] {
        var writer = JSONWriter(capacity: 256)
        body(&writer)
        return writer.bytes
    }

    static func check(_ emitted: EmittedEvent, _ comment: Comment? = nil) -> Bool {
        // The packed form straight from the fields is the event `Event`'s checked initialiser
        // makes, down to what it captured (`type`'s and `time`'s offsets, the event time).
        let reference = EmittedEvents.make(
            type: emitted.type, id: emitted.id, source: emitted.source, time: emitted.time, correlationId: emitted.correlationId,
            causationId: emitted.causationId, data: emitted.data, saga: emitted.saga)
        var reused = PackedBuilder(capacity: 4)
        reused.append("left over from the event before")
        guard emitted.event == reference, emitted.pack(using: &reused) == reference,
              emitted.event.type == reference.type else {
            Issue.record("the packed event differs\(comment.map { " (\($0))" } ?? ""): \(emitted.event.jsonText) against \(reference.jsonText)")
            return false
        }
        let direct = bytes { emitted.write(to: &$0) }
        let packed = bytes { emitted.event.write(to: &$0) }
        if direct != packed {
            Issue.record("""
                write(to:) and event.write(to:) differ\(comment.map { " (\($0))" } ?? ""):
                direct: \(String(decoding: direct, as: UTF8.self))
                packed: \(String(decoding: packed, as: UTF8.self))
                """)
            return false
        }
        return true
    }

    /// Strings that need escapes, or are multi-byte, or are plain.
    static let strings = ["", "a", "order.created", "quote\"d", "back\\slash", "line\nbreak\ttab", "\u{0}\u{1}\u{1F}", "\u{7F}",
                          "é", "日本語", "😀 emoji", "</script>", "\u{2028}\u{2029}", "a\"b\\c\nd"]

    static func randomString(_ random: inout SplitMix64, nonEmpty: Bool = false) -> String {
        if random.next(below: 3) == 0 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<(random.next(below: 12) + (nonEmpty ? 1 : 0)) {
                let pools: [ClosedRange<UInt32>] = [0...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0x1_0000...0x1_0FFF]
                let pool = pools[random.next(below: pools.count)]
                scalars.append(Unicode.Scalar(UInt32.random(in: pool, using: &random))!)
            }
            return String(scalars)
        }
        let pick = strings[random.next(below: strings.count)]
        return nonEmpty && pick.isEmpty ? "x" : pick
    }

    static func randomValue(_ random: inout SplitMix64, depth: Int) -> JSONValue {
        switch random.next(below: depth > 3 ? 5 : 7) {
        case 0: return .null
        case 1: return .bool(random.next(below: 2) == 0)
        case 2: return .int(Int64(bitPattern: random.next()) >> Int64(random.next(below: 64)))
        case 3:
            let choices: [Double] = [0, -0.0, 1.5, -2.25, 1e300, .leastNonzeroMagnitude, 0.1, 123_456_789.125, Double(Int64.max)]
            return .double(random.next(below: 2) == 0 ? choices[random.next(below: choices.count)]
                : Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF))
        case 4: return .string(randomString(&random))
        case 5: return .array((0..<random.next(below: 5)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            var object = JSONObject()
            for _ in 0..<random.next(below: 5) { object[randomString(&random)] = randomValue(&random, depth: depth + 1) }
            return .object(object)
        }
    }

    static func randomEmitted(_ random: inout SplitMix64) -> EmittedEvent {
        let time: EventTime? = switch random.next(below: 4) {
        case 0: nil
        case 1: Int64.random(in: -62_167_219_200_000...253_402_300_799_999, using: &random)
        case 2: Int64.random(in: 1_700_000_000_000...1_800_000_000_000, using: &random)
        default: Int64.random(in: -1_000_000_000_000_000...1_000_000_000_000_000, using: &random)   // beyond year 9999
        }
        let data: JSONValue = switch random.next(below: 4) {
        case 0: .object(JSONObject())
        case 1: .null
        default: randomValue(&random, depth: 0)
        }
        return EmittedEvent(
            type: randomString(&random), id: "decl-\(random.next(below: 1_000_000))",
            source: "weir://" + randomString(&random, nonEmpty: true),
            time: time, correlationId: random.next(below: 2) == 0 ? nil : randomString(&random),
            causationId: randomString(&random, nonEmpty: true), data: data,
            saga: random.next(below: 3) == 0 ? SagaStamp(step: randomString(&random, nonEmpty: true), attempt: random.next(below: 4) + 1) : nil)
    }

    @Test func randomEmittedEventsWriteThePackedBytes() {
        var random = SplitMix64(seed: 0xE417)
        for i in 0..<20_000 {
            guard Self.check(Self.randomEmitted(&random), "event \(i)") else { return }
        }
    }

    @Test func namedShapes() {
        let base = EmittedEvent(type: "order.big", id: "big-1", source: "weir://big", time: 1_772_359_200_000,
                                correlationId: "c-1", causationId: "in-1", data: ["id": "a", "n": [1, 2.5, .null, ["x": true]]])
        var shapes: [EmittedEvent] = [base]
        var untimed = base
        untimed.time = nil
        shapes.append(untimed)
        var uncorrelated = base
        uncorrelated.correlationId = nil
        shapes.append(uncorrelated)
        var emptyData = base
        emptyData.data = .object(JSONObject())
        shapes.append(emptyData)
        var nullData = base
        nullData.data = .null
        shapes.append(nullData)
        var scalarData = base
        scalarData.data = "just text \"quoted\""
        shapes.append(scalarData)
        var untyped = base
        untyped.type = ""   // the engine's default type
        shapes.append(untyped)
        var negative = base
        negative.time = -1
        shapes.append(negative)
        for extreme in [Int64.min, Int64.max, -62_167_219_200_001, 253_402_300_800_000] {
            var shape = base
            shape.time = extreme
            shapes.append(shape)
        }
        var stamped = base
        stamped.saga = SagaStamp(step: "charge", attempt: 3)
        shapes.append(stamped)
        var nested = base
        nested.data = ["a": ["b": [1, 2]], "c": "d"]
        shapes.append(nested)
        var long = base
        long.data = ["text": .string(String(repeating: "x\"\u{1}", count: 5000)), "n": 1.5, "m": -7, "b": false, "z": .null]
        long.correlationId = String(repeating: "\\", count: 9000)
        shapes.append(long)
        // An empty causation id is written as the id: a long one that needs escapes throughout.
        var selfCaused = base
        selfCaused.id = String(repeating: "\"\u{1}", count: 400)
        selfCaused.causationId = ""
        shapes.append(selfCaused)
        for (i, shape) in shapes.enumerated() { #expect(Self.check(shape, "shape \(i)")) }
        #expect(String(decoding: Self.bytes { base.write(to: &$0) }, as: UTF8.self) == """
            {"specversion":"1.0","id":"big-1","source":"weir://big","type":"order.big","time":"2026-03-01T10:00:00.000Z",\
            "datacontenttype":"application/json","correlationid":"c-1","causationid":"in-1","data":{"id":"a","n":[1,2.5,null,{"x":true}]}}
            """)
    }

    /// An empty causation id is written as the event's own id, as `event` has it.
    @Test func anEmptyCausationIdIsWrittenAsTheEventHasIt() {
        let emitted = EmittedEvent(type: "t", id: "r-1", source: "weir://r", time: 0, correlationId: nil, causationId: "", data: .null)
        #expect(Self.check(emitted))
    }
}

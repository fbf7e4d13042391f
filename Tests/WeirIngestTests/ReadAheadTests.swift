import Testing
import WeirCore
import WeirTestSupport

@testable import WeirIngest

/// Reading ahead on a second thread (`ReadAhead`) hands the caller exactly what reading on the
/// caller's thread does: the same events, rejections and counts, in the same order, across
/// batch boundaries, long lines, runs of bad lines and a caller that stops by throwing.
@Suite struct ReadAheadTests {
    struct Delivered: Equatable {
        var items: [String] = []
        var stats = IngestStats()
    }

    static func deliver(_ bytes: [UInt8], ahead: Bool, limits: IngestLimits = IngestLimits(), blockSize: Int = 1 << 20) -> Delivered {
        let reader = EventReader(input: .bytes(bytes), limits: limits, blockSize: blockSize)
        reader.readAheadAllowed = ahead
        var delivered = Delivered()
        delivered.stats = reader.forEach({ view, line in
            delivered.items.append("\(line) event \(Event(document: view).jsonText)")
        }, rejected: { bad in
            delivered.items.append("\(bad.line) rejected \(bad.reason) \(bad.text.count) \(bad.text.prefix(40))")
        })
        return delivered
    }

    /// Lines of every kind, many batches' worth.
    static func mixedInput(seed: UInt64, lines: Int) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        var text = ""
        for n in 0..<lines {
            switch random.next(below: 20) {
            case 0: text += "\n"                                            // blank
            case 1: text += "   \t \n"                                      // blank with spaces
            case 2: text += "{\"specversion\":\"1.0\",\"id\":\"x\"\n"       // broken JSON
            case 3: text += "{\"specversion\":\"1.0\",\"source\":\"s\",\"type\":\"t\"}\n"   // no id
            case 4: text += "[1,2,3]\n"                                     // not an object
            case 5:
                // Longer than what is parsed ahead (8 KiB), still under the line limit.
                let big = String(repeating: "y", count: 8_000 + random.next(below: 20_000))
                text += #"{"specversion":"1.0","id":"big\#(n)","source":"/s","type":"t","data":{"text":"\#(big)"}}"# + "\n"
            case 6:
                // Over the line limit of the test (64 KiB).
                text += String(repeating: "z", count: 70_000) + "\n"
            case 7: text += good(n) + "\r\n"
            default: text += good(n) + "\n"
            }
        }
        if random.next(below: 2) == 0 { text += good(lines) }               // no final newline
        return Array(text.utf8)
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func readingAheadDeliversWhatReadingInLineDoes(seed: UInt64) throws {
        let limits = try IngestLimits(maxLineBytes: 64 << 10)
        let input = Self.mixedInput(seed: seed, lines: 1_500)
        let inLine = Self.deliver(input, ahead: false, limits: limits)
        let ahead = Self.deliver(input, ahead: true, limits: limits)
        #expect(inLine.items.count > 1_000)
        #expect(ahead.stats == inLine.stats)
        #expect(ahead.items.count == inLine.items.count)
        if let first = ahead.items.indices.first(where: { $0 < inLine.items.count && ahead.items[$0] != inLine.items[$0] }) {
            Issue.record("item \(first) differs:\n\(ahead.items[first].prefix(200))\n\(inLine.items[first].prefix(200))")
        }
        // With small blocks too (lines cut across reads).
        #expect(Self.deliver(input, ahead: true, limits: limits, blockSize: 4096) == inLine)
    }

    /// A batch holds a bounded number of items: a long run of bad lines goes over several.
    @Test func aLongRunOfBadLinesCrossesBatches() {
        var text = good(0) + "\n"
        for _ in 0..<(ReadAhead.batchSize * 9) { text += "not json\n" }
        text += good(1) + "\n"
        let input = Array(text.utf8)
        let ahead = Self.deliver(input, ahead: true)
        #expect(ahead == Self.deliver(input, ahead: false))
        #expect(ahead.stats.rejected == ReadAhead.batchSize * 9)
        #expect(ahead.stats.events == 2)
    }

    /// Big lines (parsed by the caller) one after another, and between events, and over the limit.
    @Test func runsOfBigLines() throws {
        let limits = try IngestLimits(maxLineBytes: 20_000)
        var text = ""
        for n in 0..<600 {
            switch n % 7 {
            case 0, 1, 2:
                let pad = String(repeating: "q", count: 9_000 + n)
                text += #"{"specversion":"1.0","id":"b\#(n)","source":"/s","type":"t","data":{"p":"\#(pad)"}}"# + "\n"
            case 3: text += String(repeating: "x", count: 25_000) + "\n"
            default: text += good(n) + "\n"
            }
        }
        let input = Array(text.utf8)
        let ahead = Self.deliver(input, ahead: true, limits: limits)
        #expect(ahead == Self.deliver(input, ahead: false, limits: limits))
        #expect(ahead.stats.events == 600 - 600 / 7 - (600 % 7 > 3 ? 1 : 0))
    }

    struct Stop: Error {}

    /// A caller that throws stops the reading thread: nothing is delivered after the throw, the
    /// error comes out, and the call returns (it would hang if the thread were left waiting).
    @Test(arguments: [0, 1, 127, 128, 129, 500, 2_999])
    func aCallerThatThrowsStopsTheReadingThread(at stop: Int) {
        let input = Array((0..<3_000).map { good($0) + "\n" }.joined().utf8)
        let reader = EventReader(input: .bytes(input), limits: IngestLimits(), blockSize: 1 << 20)
        reader.readAheadAllowed = true
        var seen = 0
        #expect(throws: Stop.self) {
            _ = try reader.forEach({ _, line in
                #expect(line == seen + 1)
                if seen == stop { throw Stop() }
                seen += 1
            }, rejected: { _ in })
        }
        #expect(seen == stop)
    }

    @Test func aRejectionHandlerThatThrowsStopsItToo() {
        let input = Array((0..<1_000).map { $0 == 700 ? "oops\n" : good($0) + "\n" }.joined().utf8)
        let reader = EventReader(input: .bytes(input), limits: IngestLimits(), blockSize: 1 << 20)
        reader.readAheadAllowed = true
        var events = 0
        #expect(throws: Stop.self) {
            _ = try reader.forEach({ _, _ in events += 1 }, rejected: { _ in throw Stop() })
        }
        #expect(events == 700)
    }

    /// While reading ahead, `bytesRead` counts up to the lines handed over, never past the input.
    @Test func bytesReadFollowsWhatWasHandedOver() {
        let input = Array((0..<5_000).map { good($0) + "\n" }.joined().utf8)
        let reader = EventReader(input: .bytes(input), limits: IngestLimits(), blockSize: 1 << 12)
        reader.readAheadAllowed = true
        var last = 0
        var monotonic = true
        _ = reader.forEach({ _, _ in
            monotonic = monotonic && reader.bytesRead >= last && reader.bytesRead <= input.count
            last = reader.bytesRead
        }, rejected: { _ in })
        #expect(monotonic)
        #expect(last > 0)
        #expect(reader.bytesRead == input.count)
    }

    /// A depth limit past 1,024 reads in line (each parser ahead would be sized by it); the
    /// result is the same either way.
    @Test func aHighDepthLimitReadsInLine() throws {
        let limits = try IngestLimits(maxDepth: 5_000)
        let input = Self.mixedInput(seed: 9, lines: 400)
        #expect(Self.deliver(input, ahead: true, limits: limits) == Self.deliver(input, ahead: false, limits: limits))
    }
}

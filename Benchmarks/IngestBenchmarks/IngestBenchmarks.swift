// Owned events and the ingest path's document view, with package-benchmark (malloc counts included):
//
//     cd Benchmarks && swift package benchmark --target IngestBenchmarks
//
// Every benchmark runs with `scalingFactor: .mega`: one iteration is 1,000,000 operations, and
// the `*` rows are per operation (`--scale`: per 1,000,000, which shows fractional mallocs).
//
// The events are the first 1,000 lines of the orders workload (`Workload.eventsPath`).
// - "pack/*": one iteration parses the 1,000 lines once (simdjson, the required-attribute check)
//   and turns each document into an owned `Event` 1,000 times: the parse is amortised to a
//   thousandth, so the figures are the packing of a kept event. "pack/baseline" is the same loop
//   without packing.
// - "event/*": reads of an owned event's attributes over a ring of the 1,000 events.
// - "document/*": the same reads on the ingest path's view, without packing (as "pack/*").
//
// This target is compiled into the engine's package (`-package-name`, see Package.swift), so it
// measures the engine-facing `package` API itself.

import BenchSupport
import Benchmark
import Weir
import WeirCore
import WeirIngest

/// The first 1,000 lines of the workload, as JSON Lines bytes.
let ringBytes: [UInt8] = {
    var lines: [UInt8] = []
    for event in Workload.loadEvents(limit: 1_000) {
        lines += Array(event.jsonText.utf8)
        lines.append(0x0A)
    }
    return lines
}()
let ringEvents = Workload.loadEvents(limit: 1_000)
/// How many times each parsed document is used per iteration (1,000 documents x 1,000 = 1,000,000).
let repeats = 1_000

/// Parses the ring once and calls `body` `repeats` times with each document (and its reader).
@inline(__always)
func eachDocument(_ body: (DocumentView, EventReader) -> Void) {
    let reader = EventReader(bytes: ringBytes)
    _ = reader.forEach({ document, _ in
        for _ in 0..<repeats { body(document, reader) }
    }, rejected: { bad in Workload.fatal("rejected: \(bad.reason)") })
}

func configuration() -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 1,
        scalingFactor: .mega,
        maxDuration: .seconds(5),
        maxIterations: 30
    )
}

let benchmarks: @Sendable () -> Void = {
    precondition(ringEvents.count == 1_000)

    Benchmark("pack/baseline", configuration: configuration()) { _ in
        var n = 0
        eachDocument { document, _ in n &+= Int(bitPattern: UInt(bitPattern: document.root.index)) }
        blackHole(n)
    }

    // What an engine calls for each event a declaration keeps.
    Benchmark("pack/EventReader.ownedEvent", configuration: configuration()) { _ in
        eachDocument { document, reader in blackHole(reader.ownedEvent(document)) }
    }

    // Without a reader's reusable working memory.
    Benchmark("pack/Event(document:)", configuration: configuration()) { _ in
        eachDocument { document, _ in blackHole(Event(document: document)) }
    }

    Benchmark("event/eventTimeMilliseconds", configuration: configuration()) { benchmark in
        blackHole(evaluateRing(ringEvents, count: benchmark.scaledIterations.count) {
            (try? $0.eventTimeMilliseconds()) != nil
        })
    }

    Benchmark("document/typeBytes", configuration: configuration()) { _ in
        var n = 0
        eachDocument { document, _ in n &+= document.typeBytes.count }
        blackHole(n)
    }

    Benchmark("document/eventTimeMilliseconds", configuration: configuration()) { _ in
        var n: Int64 = 0
        eachDocument { document, _ in n &+= (try? document.eventTimeMilliseconds()) ?? 0 }
        blackHole(n)
    }

    Benchmark("event/time", configuration: configuration()) { benchmark in
        blackHole(evaluateRing(ringEvents, count: benchmark.scaledIterations.count) { $0.time != nil })
    }

    Benchmark("event/type", configuration: configuration()) { benchmark in
        blackHole(evaluateRing(ringEvents, count: benchmark.scaledIterations.count) { $0.type.utf8.count == 13 })
    }
}

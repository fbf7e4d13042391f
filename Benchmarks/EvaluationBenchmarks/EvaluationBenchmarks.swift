// In-process evaluation of the filter over decoded (owned) events, with package-benchmark.
//
//     cd Benchmarks && swift package benchmark --target EvaluationBenchmarks
//
// How to read the figures: every benchmark runs with `scalingFactor: .mega`: one measured iteration
// is 1,000,000 evaluations (`for _ in benchmark.scaledIterations`). Metrics marked `*` in the table
// are divided by that factor, so in the default output
//
//   - "Time (wall clock) (ns) *"   = nanoseconds per evaluation (whole ns);
//   - "Throughput (# / s) (M)"     = millions of evaluations per second;
//   - "Malloc (total) *"           = heap allocations per evaluation;
//   - "Instructions *"             = instructions per evaluation (only where the CPU's counters are
//                                    readable: not in VMs without a PMU, where the row is absent).
//
// With `--scale`, the `*` rows are per iteration instead (time per 1,000,000 evaluations).
//
// "hot":   a ring of the first 1,000 events of the orders workload, evaluated over and over
//          (they stay in cache): the cost of the evaluator itself.
// "1M":    all 1,000,000 events of the orders workload decoded into memory first (not timed), each
//          evaluated once per iteration: the cost with events coming from memory.
// Every case is measured for the compiled expression (`CompiledExpression.matches`; hot also
// `evaluate`) and for the same predicate hand-written in Swift: "hand-written" goes through the
// public `Event.data` (which builds the payload's JSONValue tree on each access), "hand-written-
// payload" reads payloads decoded into JSONValue beforehand (the field lookups alone).

import BenchSupport
import Benchmark
import Weir

/// The first 1,000 events of the workload: the hot ring.
let hotEvents = Workload.loadEvents(limit: 1_000)
/// The whole workload, decoded once (the decode is never inside a measurement).
let allEvents = Workload.loadEvents()
let filter = Workload.compiledFilter()
/// The payloads of the same events as `JSONValue` trees, decoded beforehand (not timed).
let hotPayloads = hotEvents.map(\.data)
let allPayloads = allEvents.map(\.data)

/// Checks, once and before anything is measured, that the implementations agree with
/// `weir eval --count` on the whole workload.
let allEventsChecked: Bool = {
    precondition(allEvents.count == 1_000_000, "the orders workload must have 1,000,000 events")
    let expression = allEvents.reduce(0) { $0 + (filter.matches($1) ? 1 : 0) }
    let handWritten = allEvents.reduce(0) { $0 + (handWrittenFilter($1) ? 1 : 0) }
    precondition(expression == Workload.expectedMatchesInFullFile, "expression matched \(expression)")
    precondition(handWritten == Workload.expectedMatchesInFullFile, "hand-written matched \(handWritten)")
    let payload = allPayloads.reduce(0) { $0 + (handWrittenFilter(payload: $1) ? 1 : 0) }
    precondition(payload == Workload.expectedMatchesInFullFile, "hand-written (payload) matched \(payload)")
    return true
}()

func checkHotEvents() {
    precondition(hotPayloads.map { handWrittenFilter(payload: $0) } == hotEvents.map { filter.matches($0) })
    let expression = hotEvents.reduce(0) { $0 + (filter.matches($1) ? 1 : 0) }
    let handWritten = hotEvents.reduce(0) { $0 + (handWrittenFilter($1) ? 1 : 0) }
    precondition(expression == handWritten, "hot ring: expression \(expression) != hand-written \(handWritten)")
}

/// Every benchmark: 1,000,000 evaluations per iteration (the `*` rows show them per evaluation),
/// 2 warm-up iterations, then up to 60 iterations or 5 seconds; `setup` runs before any of them.
func configuration(setup: @escaping Benchmark.BenchmarkSetupHook) -> Benchmark.Configuration {
    .init(
        metrics: [.wallClock, .throughput, .instructions, .mallocCountTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 2,
        scalingFactor: .mega,
        maxDuration: .seconds(5),
        maxIterations: 60,
        setup: setup
    )
}

let benchmarks: @Sendable () -> Void = {
    let hot = configuration(setup: { checkHotEvents() })
    let full = configuration(setup: { precondition(allEventsChecked) })

    // The loops are BenchSupport's `evaluateRing` / `evaluateAll`, the same code weir-evalbench
    // times, run for `benchmark.scaledIterations.count` (1,000,000) evaluations per iteration.

    // Hot: 1,000,000 evaluations over a ring of 1,000 events per iteration.
    Benchmark("eval_hot/expression.matches", configuration: hot) { benchmark in
        blackHole(evaluateRing(hotEvents, count: benchmark.scaledIterations.count) { filter.matches($0) })
    }

    Benchmark("eval_hot/expression.evaluate", configuration: hot) { benchmark in
        blackHole(evaluateRing(hotEvents, count: benchmark.scaledIterations.count) { filter.evaluate($0).isTrue })
    }

    Benchmark("eval_hot/hand-written", configuration: hot) { benchmark in
        blackHole(evaluateRing(hotEvents, count: benchmark.scaledIterations.count) { handWrittenFilter($0) })
    }

    Benchmark("eval_hot/hand-written-payload", configuration: hot) { benchmark in
        blackHole(
            evaluateRing(hotPayloads, count: benchmark.scaledIterations.count) { handWrittenFilter(payload: $0) })
    }

    // Over 1M events: one iteration evaluates each of the 1,000,000 decoded events once.
    Benchmark("eval_1M/expression.matches", configuration: full) { benchmark in
        precondition(benchmark.scaledIterations.count == allEvents.count)
        blackHole(evaluateAll(allEvents) { filter.matches($0) })
    }

    Benchmark("eval_1M/hand-written", configuration: full) { benchmark in
        precondition(benchmark.scaledIterations.count == allEvents.count)
        blackHole(evaluateAll(allEvents) { handWrittenFilter($0) })
    }

    Benchmark("eval_1M/hand-written-payload", configuration: full) { benchmark in
        precondition(benchmark.scaledIterations.count == allPayloads.count)
        blackHole(evaluateAll(allPayloads) { handWrittenFilter(payload: $0) })
    }
}

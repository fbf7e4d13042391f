// weir-evalbench: the in-process evaluation benchmarks with a plain ContinuousClock, printing one
// JSON line per measurement (machine-readable; the package-benchmark suite measures the same).
//
//     swift run -c release --scratch-path .build weir-evalbench [--rounds 7] [--hot-evaluations 2000000]
//                                                               [--only hot|1M] [--events PATH]
//
// Lines printed (ns_per_eval is the median over the rounds, min_ns_per_eval the fastest round):
//   {"benchmark":"eval_hot","impl":"expression","ns_per_eval":..,"min_ns_per_eval":..,"evaluations":..,"rounds":..,"matches":..}
//   {"benchmark":"eval_hot","impl":"hand_written",...}          same predicate in Swift via Event.data
//   {"benchmark":"eval_hot","impl":"hand_written_payload",...}  same, on payloads decoded beforehand
//   {"benchmark":"eval_hot","impl":"expression_evaluate",...}   evaluate(_:) instead of matches(_:)
//   {"benchmark":"eval_hot","ratio_expression_over_hand_written":..,"ratio_expression_over_hand_written_payload":..}
// and the same for "eval_1M" (each round is one pass over all 1,000,000 decoded events), plus one
// "decode_1M" line saying how long decoding took (never part of an evaluation figure).

import BenchSupport
import Weir

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Options {
    var rounds = 7
    var hotEvaluations = 2_000_000
    var only: String?
    var events = Workload.eventsPath

    init(_ arguments: [String]) {
        var rest = arguments.dropFirst()
        func value(_ name: String) -> String {
            guard let next = rest.popFirst() else { Workload.fatal("\(name) needs a value") }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--rounds": rounds = Int(value(argument)) ?? 0
            case "--hot-evaluations": hotEvaluations = Int(value(argument)) ?? 0
            case "--only": only = value(argument)
            case "--events": events = value(argument)
            case "-h", "--help":
                print("usage: weir-evalbench [--rounds N] [--hot-evaluations N] [--only hot|1M] [--events PATH]")
                exit(0)
            default: Workload.fatal("unknown argument '\(argument)'")
            }
        }
        guard rounds > 0, hotEvaluations > 0 else { Workload.fatal("--rounds and --hot-evaluations must be > 0") }
        guard only == nil || only == "hot" || only == "1M" else { Workload.fatal("--only takes hot or 1M") }
    }
}

func nanoseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e9 + Double(duration.components.attoseconds) / 1e9
}

func format(_ value: Double) -> String {
    let rounded = (value * 1000).rounded() / 1000
    return String(rounded)
}

/// One implementation measured over several rounds.
struct Series {
    let impl: String
    let run: () -> Int  // evaluates, returns the number of matches
    var nsPerEval: [Double] = []
    var matches = 0

    var median: Double {
        let sorted = nsPerEval.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

/// Runs every series once per round, alternating which goes first (so drift on a noisy machine
/// hits each about equally), then prints a line per series and the expression/hand-written ratio.
func measure(_ benchmark: String, evaluationsPerRound: Int, rounds: Int, _ series: [Series]) {
    var series = series
    let clock = ContinuousClock()
    for item in series.indices { series[item].matches = series[item].run() }  // warm-up, not timed
    for round in 0..<rounds {
        let order = round % 2 == 0 ? Array(series.indices) : series.indices.reversed()
        for item in order {
            var matches = 0
            let elapsed = clock.measure { matches = series[item].run() }
            precondition(matches == series[item].matches, "\(series[item].impl): matches changed between rounds")
            series[item].nsPerEval.append(nanoseconds(elapsed) / Double(evaluationsPerRound))
        }
    }
    for item in series {
        print(
            #"{"benchmark":"\#(benchmark)","impl":"\#(item.impl)","ns_per_eval":\#(format(item.median)),"#
                + #""min_ns_per_eval":\#(format(item.nsPerEval.min()!)),"evaluations":\#(evaluationsPerRound * rounds),"#
                + #""rounds":\#(rounds),"matches":\#(item.matches)}"#)
    }
    if let expression = series.first(where: { $0.impl == "expression" }),
        let handWritten = series.first(where: { $0.impl == "hand_written" })
    {
        var line = #"{"benchmark":"\#(benchmark)","ratio_expression_over_hand_written":\#(format(expression.median / handWritten.median))"#
        if let payload = series.first(where: { $0.impl == "hand_written_payload" }) {
            line += #","ratio_expression_over_hand_written_payload":\#(format(expression.median / payload.median))"#
        }
        print(line + "}")
    }
    fflush(nil)  // every output stream: the lines go out as each benchmark ends
}

let options = Options(CommandLine.arguments)
let filter = Workload.compiledFilter()

if options.only != "1M" {
    let ring = Workload.loadEvents(limit: 1_000, path: options.events)
    let payloads = ring.map(\.data)
    let count = options.hotEvaluations
    measure(
        "eval_hot", evaluationsPerRound: count, rounds: options.rounds,
        [
            Series(impl: "expression", run: { evaluateRing(ring, count: count) { filter.matches($0) } }),
            Series(impl: "hand_written", run: { evaluateRing(ring, count: count) { handWrittenFilter($0) } }),
            Series(impl: "hand_written_payload", run: {
                evaluateRing(payloads, count: count) { handWrittenFilter(payload: $0) }
            }),
            Series(impl: "expression_evaluate", run: {
                evaluateRing(ring, count: count) { filter.evaluate($0).isTrue }
            }),
        ])
}

if options.only != "hot" {
    let clock = ContinuousClock()
    var events: [Event] = []
    let decode = clock.measure { events = Workload.loadEvents(path: options.events) }
    print(#"{"benchmark":"decode_1M","seconds":\#(format(nanoseconds(decode) / 1e9)),"events":\#(events.count)}"#)
    let all = events
    let payloads = all.map(\.data)
    measure(
        "eval_1M", evaluationsPerRound: all.count, rounds: options.rounds,
        [
            Series(impl: "expression", run: { evaluateAll(all) { filter.matches($0) } }),
            Series(impl: "hand_written", run: { evaluateAll(all) { handWrittenFilter($0) } }),
            Series(impl: "hand_written_payload", run: { evaluateAll(payloads) { handWrittenFilter(payload: $0) } }),
        ])
    if all.count == 1_000_000 {
        let matched = evaluateAll(all) { filter.matches($0) }
        precondition(matched == Workload.expectedMatchesInFullFile, "expression matched \(matched), not 59999")
    }
}

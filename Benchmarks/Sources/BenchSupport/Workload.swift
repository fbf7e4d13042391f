import Weir

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The orders workload both harnesses measure, and the filter they measure on it.
///
/// Events come from `bench-data/orders.jsonl` at the repository root (1,000,000 events written by
/// `python3 ../shared/bench/gen_events.py orders 1000000 bench-data/orders.jsonl`), or from the
/// file `WEIR_BENCH_EVENTS` names.
public enum Workload {
    /// The filter of the issue: 20% of orders are over 1000, 30% ship to the USA.
    public static let expressionText = "data.totalAmount > 1000 AND data.shippingAddress.country = 'USA'"

    /// How many events of the full file the filter matches (what `weir eval --count` prints).
    public static let expectedMatchesInFullFile = 59_999

    /// The events file: `$WEIR_BENCH_EVENTS`, else `<repository>/bench-data/orders.jsonl`, found
    /// from this source file's location (Benchmarks/Sources/BenchSupport/Workload.swift).
    public static var eventsPath: String {
        if let path = getenv("WEIR_BENCH_EVENTS").map({ String(cString: $0) }), !path.isEmpty {
            return path
        }
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)  // Workload.swift, BenchSupport, Sources, Benchmarks
        return parts.joined(separator: "/") + "/bench-data/orders.jsonl"
    }

    /// The compiled filter; a failure to compile is a bug in the engine, so it stops the benchmark.
    public static func compiledFilter() -> CompiledExpression {
        do {
            return try CompiledExpression(expressionText)
        } catch {
            fatal("the benchmark expression does not compile:\n\(error)")
        }
    }

    /// Decodes the first `limit` events of the file (all of them when nil) into owned `Event`s.
    /// Any rejected line stops the benchmark: the workload must be exactly what gen_events.py wrote.
    public static func loadEvents(limit: Int? = nil, path: String = eventsPath) -> [Event] {
        struct Enough: Error {}
        var events: [Event] = []
        if let limit { events.reserveCapacity(limit) }
        do {
            let reader = try EventReader(path: path)
            _ = try reader.forEachEvent { event, _ in
                if let limit, events.count == limit { throw Enough() }
                events.append(event)
            } rejected: { bad in
                fatal("\(path):\(bad.line): rejected: \(bad.reason)")
            }
        } catch is Enough {
        } catch {
            fatal("cannot read \(path): \(error)\n"
                + "create it from the repository root with:\n"
                + "  python3 ../shared/bench/gen_events.py orders 1000000 bench-data/orders.jsonl")
        }
        if let limit, events.count < limit { fatal("\(path) has only \(events.count) events, \(limit) needed") }
        return events
    }

    public static func fatal(_ message: String) -> Never {
        var text = "weir benchmarks: " + message + "\n"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        exit(1)
    }
}

/// The same filter written by hand in Swift against `Event`, through its public API: the baseline
/// the compiled expression is compared with. Like the expression it accepts an integer or a
/// floating-point amount and (CESQL `AND`) does not look at the country when the amount decides.
///
/// Note: `Event.data` hands back the payload as a `JSONValue` tree; with the packed event storage
/// that tree is built on every access, so this baseline pays for one payload decode per call.
@inline(never)
public func handWrittenFilter(_ event: Event) -> Bool {
    handWrittenFilter(payload: event.data)
}

/// The same predicate on a payload already decoded into a `JSONValue` tree (plain Swift enums,
/// arrays and strings): the cost of the field lookups alone, with nothing decoded per call.
@inline(never)
public func handWrittenFilter(payload data: JSONValue?) -> Bool {
    guard let data else { return false }
    switch data["totalAmount"] {
    case .double(let total)?: guard total > 1000 else { return false }
    case .int(let total)?: guard total > 1000 else { return false }
    default: return false
    }
    guard case .string(let country)? = data["shippingAddress"]?["country"] else { return false }
    return country == "USA"
}

/// Evaluates `filter` `count` times over `events` as a ring (index wraps at the end): the "hot"
/// case, where the same few events stay in cache. Returns the number of matches.
/// (Inlinable, so it is specialised for each `filter` and the closure costs no indirect call.)
@inlinable
public func evaluateRing<Element>(_ events: [Element], count: Int, _ filter: (Element) -> Bool) -> Int {
    var matched = 0
    var index = 0
    let end = events.count
    events.withUnsafeBufferPointer { ring in
        for _ in 0..<count {
            if filter(ring[index]) { matched &+= 1 }
            index &+= 1
            if index == end { index = 0 }
        }
    }
    return matched
}

/// Evaluates `filter` once on every event, in order. Returns the number of matches.
@inlinable
public func evaluateAll<Element>(_ events: [Element], _ filter: (Element) -> Bool) -> Int {
    var matched = 0
    events.withUnsafeBufferPointer { all in
        for event in all where filter(event) { matched &+= 1 }
    }
    return matched
}

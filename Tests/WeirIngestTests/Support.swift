import Foundation
import WeirCore

@testable import WeirIngest

/// What a reader delivered for one input.
struct Outcome {
    var events: [(line: Int, event: Event)] = []
    var rejected: [RejectedLine] = []
    var stats = IngestStats()

    var eventLines: [Int] { events.map(\.line) }
    var eventIDs: [String] { events.map(\.event.id) }
    var rejections: [(Int, String)] { rejected.map { ($0.line, $0.reason) } }
}

/// Reads `bytes` with a reader of the given limits and block size, collecting everything.
func read(_ bytes: [UInt8], limits: IngestLimits = IngestLimits(), blockSize: Int = EventReader.defaultBlockSize) -> Outcome {
    let reader = EventReader(input: .bytes(bytes), limits: limits, blockSize: blockSize)
    var outcome = Outcome()
    outcome.stats = reader.forEachEvent({ event, line in
        outcome.events.append((line, event))
    }, rejected: { outcome.rejected.append($0) })
    return outcome
}

func read(_ text: String, limits: IngestLimits = IngestLimits(), blockSize: Int = EventReader.defaultBlockSize) -> Outcome {
    read(Array(text.utf8), limits: limits, blockSize: blockSize)
}

/// A valid event line with id `e<n>`.
func good(_ n: Int) -> String {
    #"{"specversion":"1.0","id":"e\#(n)","source":"/shop","type":"order.created","data":{"n":\#(n)}}"#
}

/// A fresh path in the temporary directory (the file is not created).
func temporaryPath(_ name: String) -> String {
    let dir = FileManager.default.temporaryDirectory.path
    return "\(dir)/weir-ingest-\(getpid())-\(UInt64.random(in: 0...UInt64.max))-\(name)"
}

func contents(of path: String) -> [UInt8] {
    (FileManager.default.contents(atPath: path)).map { [UInt8]($0) } ?? []
}

import Testing
import WeirCore

@testable import WeirIngest
import WeirTestSupport

/// Events nested up to the deepest supported limit (65536) are read and packed without
/// recursion: on a thread with a 512 KiB stack, through the library and the reader.
@Suite struct DeepEventTests {
    static let limits = try! IngestLimits(maxDepth: 65536)

    /// An event whose `data` holds `depth` nested objects (`{"a":{"a":...1}}`) or arrays.
    static func deepEvent(depth: Int, arrays: Bool) -> String {
        let open = arrays ? String(repeating: "[", count: depth) : String(repeating: #"{"a":"#, count: depth)
        let close = String(repeating: arrays ? "]" : "}", count: depth)
        return #"{"specversion":"1.0","id":"d","source":"/s","type":"t","data":"# + open + "1" + close + "}"
    }

    @Test(arguments: [(12000, false), (65000, false), (65000, true), (65535, true)])
    func parseEventPacksDeepEvents(depth: Int, arrays: Bool) throws {
        let line = Self.deepEvent(depth: depth, arrays: arrays)
        let text = onSmallStack { () -> String? in
            guard let event = try? EventReader.parseEvent(line, limits: Self.limits) else { return nil }
            return event.jsonText
        }
        #expect(text == line)
    }

    @Test func readerDeliversDeepEventsAndTheEventsAroundThem() {
        let lines = [good(1), Self.deepEvent(depth: 65000, arrays: false), Self.deepEvent(depth: 65000, arrays: true), good(2)]
        let ids = onSmallStack { () -> [String] in
            let outcome = read(lines.joined(separator: "\n"), limits: Self.limits)
            return outcome.eventIDs + outcome.rejected.map(\.reason)
        }
        #expect(ids == ["e1", "d", "d", "e2"])
    }

    @Test func tooDeepIsStillRejected() {
        let result = Result { () throws(IngestFailure) in
            try EventReader.parseEvent(Self.deepEvent(depth: 65536, arrays: true), limits: Self.limits)
        }
        #expect(throws: IngestFailure.tooDeep(limit: 65536)) { try result.get() }
    }
}

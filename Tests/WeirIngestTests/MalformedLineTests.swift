import Testing
import WeirCore

@testable import WeirIngest

/// Every kind of bad line is reported with its number and reason, and the good lines around it
/// are all delivered.
@Suite struct MalformedLineTests {
    /// A good line, the bad line, a good line: checks the one rejection and both neighbours.
    func expectRejected(
        _ bad: [UInt8], reason: String, limits: IngestLimits = IngestLimits(),
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let input = Array((good(1) + "\n").utf8) + bad + Array(("\n" + good(3) + "\n").utf8)
        let outcome = read(input, limits: limits)
        #expect(outcome.eventIDs == ["e1", "e3"], sourceLocation: sourceLocation)
        #expect(outcome.eventLines == [1, 3], sourceLocation: sourceLocation)
        #expect(outcome.rejected.count == 1, sourceLocation: sourceLocation)
        #expect(outcome.rejected.first?.line == 2, sourceLocation: sourceLocation)
        #expect(outcome.rejected.first?.reason == reason, sourceLocation: sourceLocation)
        #expect(outcome.rejected.first?.text == bad, sourceLocation: sourceLocation)
        #expect(outcome.stats == IngestStats(lines: 3, events: 2, rejected: 1, bytes: input.count), sourceLocation: sourceLocation)
    }

    func expectRejected(_ bad: String, reason: String, limits: IngestLimits = IngestLimits(),
                        sourceLocation: SourceLocation = #_sourceLocation) {
        expectRejected(Array(bad.utf8), reason: reason, limits: limits, sourceLocation: sourceLocation)
    }

    static let invalidStructure =
        "not valid JSON (the JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc.)"

    @Test func notJSON() {
        expectRejected("hello world", reason: Self.invalidStructure)
        expectRejected("not json", reason: "not valid JSON (problem while parsing an atom starting with the letter 'n')")
    }

    @Test func truncatedJSON() {
        expectRejected(#"{"specversion":"1.0","id":"e2","source":"/s","type":"t","data":{"n":"#, reason: Self.invalidStructure)
        expectRejected(#"{"specversion":"1.0","id":"e2""#, reason: Self.invalidStructure)
    }

    @Test func trailingContent() {
        expectRejected(good(2) + " x", reason: Self.invalidStructure)
        expectRejected(good(2) + good(2), reason: Self.invalidStructure)
    }

    @Test func invalidUTF8() {
        let bad: [UInt8] = Array(#"{"specversion":"1.0","id":""#.utf8) + [0xC3, 0x28] + Array(#"","source":"/s","type":"t"}"#.utf8)
        expectRejected(bad, reason: "invalid UTF-8")
        expectRejected([0xFF, 0xFE, 0x00], reason: "invalid UTF-8")
    }

    @Test func binaryJunk() {
        expectRejected([0x00, 0x01, 0x02, 0x7B, 0x00], reason: Self.invalidStructure)
        expectRejected(Array(#"{"id":"#.utf8) + [0x00] + Array(#"}"#.utf8), reason: Self.invalidStructure)
    }

    @Test func notAnObject() {
        expectRejected("[1,2,3]", reason: "not a JSON object")
        expectRejected(#"[{"specversion":"1.0","id":"e2","source":"/s","type":"t"}]"#, reason: "not a JSON object")
        expectRejected("42", reason: "not a JSON object")
        expectRejected(#""text""#, reason: "not a JSON object")
        expectRejected("null", reason: "not a JSON object")
        expectRejected("true", reason: "not a JSON object")
    }

    @Test(arguments: Event.requiredNames)
    func missingAttribute(_ name: String) {
        var fields = [("specversion", "\"1.0\""), ("id", "\"e2\""), ("source", "\"/s\""), ("type", "\"t\"")]
        fields.removeAll { $0.0 == name }
        let line = "{" + fields.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
        expectRejected(line, reason: "missing required attribute '\(name)'")
    }

    @Test(arguments: Event.requiredNames)
    func nullAttributeIsMissing(_ name: String) {
        let line = #"{"specversion":"1.0","id":"e2","source":"/s","type":"t","\#(name)":null}"#
        expectRejected(line, reason: "missing required attribute '\(name)'")
    }

    @Test func nonStringAttribute() {
        expectRejected(#"{"specversion":"1.0","id":2,"source":"/s","type":"t"}"#, reason: "attribute 'id' must be a string")
        expectRejected(#"{"specversion":1.0,"id":"e2","source":"/s","type":"t"}"#, reason: "attribute 'specversion' must be a string")
        expectRejected(#"{"specversion":"1.0","id":"e2","source":["/s"],"type":"t"}"#, reason: "attribute 'source' must be a string")
        expectRejected(#"{"specversion":"1.0","id":"e2","source":"/s","type":{"t":1}}"#, reason: "attribute 'type' must be a string")
        expectRejected(#"{"specversion":"1.0","id":true,"source":"/s","type":"t"}"#, reason: "attribute 'id' must be a string")
    }

    @Test func emptyAttribute() {
        expectRejected(#"{"specversion":"1.0","id":"","source":"/s","type":"t"}"#, reason: "attribute 'id' must not be empty")
        expectRejected(#"{"specversion":"1.0","id":"e","source":"","type":""}"#, reason: "attribute 'source' must not be empty")
    }

    @Test func unsupportedSpecVersion() {
        expectRejected(#"{"specversion":"0.3","id":"e2","source":"/s","type":"t"}"#,
                       reason: "unsupported specversion '0.3' (expected '1.0')")
        expectRejected(#"{"specversion":"1.0 ","id":"e2","source":"/s","type":"t"}"#,
                       reason: "unsupported specversion '1.0 ' (expected '1.0')")
        expectRejected(#"{"specversion":"1.","id":"e2","source":"/s","type":"t"}"#,
                       reason: "unsupported specversion '1.' (expected '1.0')")
    }

    @Test func tooDeep() {
        let nested = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        expectRejected(#"{"specversion":"1.0","id":"e2","source":"/s","type":"t","data":\#(nested)}"#,
                       reason: "nested too deeply (limit 64)")
    }

    @Test func depthLimitIsInclusive() {
        // The event object is level 1: 63 arrays inside it make 64 levels (accepted), 64 make 65.
        func line(_ arrays: Int, innermost: String = "1") -> String {
            #"{"specversion":"1.0","id":"e2","source":"/s","type":"t","data":"#
                + String(repeating: "[", count: arrays) + innermost + String(repeating: "]", count: arrays) + "}"
        }
        #expect(read(line(63)).stats.events == 1)
        #expect(read(line(64)).rejections.map(\.1) == ["nested too deeply (limit 64)"])
        #expect(read(line(3), limits: try! IngestLimits(maxDepth: 4)).stats.events == 1)
        #expect(read(line(4), limits: try! IngestLimits(maxDepth: 4)).rejections.map(\.1) == ["nested too deeply (limit 4)"])
        #expect(read(line(3, innermost: "{}"), limits: try! IngestLimits(maxDepth: 4)).rejections.map(\.1) == [])
        // simdjson does not count an empty innermost container as a level.
        #expect(read(line(4, innermost: ""), limits: try! IngestLimits(maxDepth: 4)).stats.events == 1)
        #expect(read(line(5, innermost: ""), limits: try! IngestLimits(maxDepth: 4)).rejections.map(\.1)
            == ["nested too deeply (limit 4)"])
    }

    @Test func unbalancedQuoteThenGoodLines() {
        let input = [good(1), #"{"specversion":"1.0","id":"e2,"source":"/s","type":"t"}"#, #"{"id":"oops}"#,
                     good(4), good(5)].joined(separator: "\n") + "\n"
        let outcome = read(input)
        #expect(outcome.eventLines == [1, 4, 5])
        #expect(outcome.eventIDs == ["e1", "e4", "e5"])
        #expect(outcome.rejected.map(\.line) == [2, 3])
        #expect(outcome.rejected.allSatisfy { $0.reason.hasPrefix("not valid JSON (") })
        #expect(outcome.stats == IngestStats(lines: 5, events: 3, rejected: 2, bytes: input.utf8.count))
    }

    @Test func severalErrorsGiveEventsReason() {
        // Same precedence as Event(json:): first wrong type in document order, then missing, then empty.
        expectRejected(#"{"type":5,"id":6}"#, reason: "attribute 'type' must be a string")
        expectRejected(#"{"type":"","id":"x"}"#, reason: "missing required attribute 'specversion'")
        expectRejected(#"{"specversion":"2.0","id":"","source":"/s","type":"t"}"#, reason: "attribute 'id' must not be empty")
    }

    @Test func duplicateKeysCountByTheirLastValue() {
        expectRejected(#"{"specversion":"1.0","id":"e2","source":"/s","type":"t","id":null}"#,
                       reason: "missing required attribute 'id'")
        let outcome = read(#"{"specversion":"1.0","id":7,"source":"/s","type":"t","id":"e2"}"#)
        #expect(outcome.eventIDs == ["e2"])
    }
}

import Testing
import WeirCore

@testable import WeirIngest

/// What an engine reads of an input document without packing it (`DocumentView.typeBytes`,
/// `eventTimeMilliseconds()`), and the owned event it makes of a document it keeps.
@Suite struct OwnedEventTests {
    /// Calls `body` with each document of `lines` and the reader.
    func documents(
        _ lines: [String], limits: IngestLimits = IngestLimits(), _ body: (DocumentView, EventReader) throws -> Void
    ) rethrows {
        let reader = EventReader(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), limits: limits)
        var rejected: [String] = []
        _ = try reader.forEach({ document, _ in try body(document, reader) }, rejected: { rejected.append($0.reason) })
        #expect(rejected.isEmpty, "\(rejected)")
    }

    func line(_ extra: String) -> String {
        #"{"specversion":"1.0","id":"e1","source":"/s","type":"order.created"\#(extra),"data":{"n":1}}"#
    }

    @Test func typeIsReadWithoutPacking() {
        var types: [String] = []
        documents([line(""), #"{"type":"a.type.longer.than.fifteen","specversion":"1.0","id":"2","source":"/s"}"#]) { d, _ in
            types.append(d.type)
            #expect(d.typeBytes.string == d.type)
        }
        #expect(types == ["order.created", "a.type.longer.than.fifteen"])
    }

    @Test func eventTimeIsReadWithoutPacking() {
        var times: [Int64?] = []
        var texts: [String?] = []
        documents([
            line(#","time":"2026-01-01T10:00:00.250Z""#), line(""), line(#","time":null"#),
            line(#","time":"2026-01-01T11:00:00+01:00""#),
            line(#","time":"1999-01-01T00:00:00Z","time":"2026-01-01T10:00:00Z""#),  // the last wins
        ]) { d, _ in
            times.append(try? d.eventTimeMilliseconds())
            texts.append(d.timeBytes?.string)
        }
        #expect(times == [1_767_261_600_250, nil, nil, 1_767_261_600_000, 1_767_261_600_000])
        #expect(texts == ["2026-01-01T10:00:00.250Z", nil, nil, "2026-01-01T11:00:00+01:00", "2026-01-01T10:00:00Z"])
    }

    @Test func unreadableEventTimeIsAnErrorTheEngineCanCount() {
        var errors: [EventTimeError] = []
        documents([line(#","time":"noon""#), line(#","time":1767261600"#), line(#","time":{"at":1}"#)]) { d, _ in
            #expect(throws: EventTimeError.self) { try d.eventTimeMilliseconds() }
            do throws(EventTimeError) { _ = try d.eventTimeMilliseconds() } catch { errors.append(error) }
        }
        #expect(errors == [.notRFC3339("noon"), .notAString, .notAString])
    }

    /// The owned event of a kept document is the event `Event(json:)` makes of the same text,
    /// and stays valid after the reader has moved on.
    @Test func ownedEventIsTheEventOfTheDocument() throws {
        let lines = [
            line(#","time":"2026-01-01T10:00:00Z","subject":"o1""#),
            #"{"data":{"a":[1,{"b":null,"b":"last"}],"z":"é"},"type":"t","id":"x","id":"y","source":"/s","specversion":"1.0","nil":null}"#,
            #"{"specversion":"1.0","id":"3","source":"/s","type":"t","data":null,"ext":[true,false,1.5,-2]}"#,
            #"{"specversion":"1.0","id":"4","source":"/s","type":"t","data":"text","time":7}"#,
        ]
        var owned: [Event] = []
        var viaPath: [Event] = []
        documents(lines) { d, reader in
            owned.append(reader.ownedEvent(d))
            viaPath.append(Event(document: d))
        }
        let expected = [
            try Event(
                id: "e1", source: "/s", type: "order.created",
                attributes: ["time": "2026-01-01T10:00:00Z", "subject": "o1"], data: ["n": 1]),
            try Event(id: "y", source: "/s", type: "t", data: ["a": [1, ["b": "last"]], "z": "é"]),
            try Event(id: "3", source: "/s", type: "t", attributes: ["ext": [true, false, 1.5, -2]]),
            try Event(id: "4", source: "/s", type: "t", attributes: ["time": 7], data: "text"),
        ]
        #expect(owned == expected)
        #expect(viaPath == expected)
        #expect(owned.map(\.jsonText) == expected.map(\.jsonText))
        #expect(owned[1].id == "y")
        #expect(owned[1].data == ["a": [1, ["b": "last"]], "z": "é"])
        #expect(try owned[0].eventTimeMilliseconds() == 1_767_261_600_000)
        #expect(throws: EventTimeError.notAString) { try owned[3].eventTimeMilliseconds() }
        #expect(owned.map(\.type) == ["order.created", "t", "t", "t"])
    }

    /// A deep payload packs (iteratively) with the reader's reused working memory, as without it.
    @Test func deepPayloadPacks() throws {
        let depth = 5_000
        let deep = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let text = #"{"specversion":"1.0","id":"d","source":"/s","type":"t","data":\#(deep)}"#
        var events: [Event] = []
        documents([text, line(""), text], limits: try IngestLimits(maxDepth: depth + 1)) { d, reader in events.append(reader.ownedEvent(d)) }
        #expect(events[0] == events[2])
        var payload: JSONValue = []
        for _ in 1..<depth { payload = [payload] }
        #expect(events[0] == (try Event(id: "d", source: "/s", type: "t", data: payload)))
    }

    /// The parser's side packs (`weir_pack_event`) exactly as the Swift walk does, for every kind
    /// of value, and leaves to the walk what it refuses (repeated keys, wide objects, deep nesting).
    @Test func parserSidePackingMatchesTheWalk() throws {
        let wide = (0..<20).map { #""k\#($0)":\#($0)"# }.joined(separator: ",")
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        let payloads = [
            #"{"n":-1,"u":18446744073709551615,"big":9223372036854775807,"d":0.1,"e":-2.5e300,"z":0}"#,
            #"{"s0":"","s7":"1234567","s8":"12345678","s9":"123456789","s16":"1234567890abcdef","u":"Zoë 🚀 \u00e9\n"}"#,
            #"{"t":true,"f":false,"nil":null,"a":[],"o":{},"nested":[[1,[2,[3]]],{"x":{"y":{"z":[null]}}}]}"#,
            #"{"wide":{\#(wide)}}"#, #"{"dup":{"a":1,"a":2}}"#, deep, #""text""#, "42", "[1,2]",
        ]
        let limits = try IngestLimits(maxDepth: 400)
        var packer = EventPacker()
        var compared = 0
        for payload in payloads {
            let text = #"{"specversion":"1.0","id":"1","ext":{"k":"v"},"source":"/s","type":"t","time":null,"data":\#(payload)}"#
            documents([text], limits: limits) { d, _ in
                let fast = packer.event(from: d)
                let walked = packer.walked(d)
                #expect(fast == walked, "\(payload)")
                #expect(fast.jsonText == walked.jsonText)
                #expect(fast.dataOffset == walked.dataOffset)
                compared += 1
            }
        }
        #expect(compared == payloads.count)
    }
}

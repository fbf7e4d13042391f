import Testing
import WeirCore

/// An owned event's `type` and `time`, captured once when the event is made.
@Suite struct OwnedEventTimeTests {
    func event(time: JSONValue?, type: String = "order.created") throws -> Event {
        var attributes = JSONObject()
        if let time { attributes["time"] = time }
        attributes["subject"] = "o1"
        return try Event(id: "e1", source: "/shop", type: type, attributes: attributes, data: ["n": 1])
    }

    @Test func rfc3339TimeIsTheEventTimeInMilliseconds() throws {
        let e = try event(time: "2026-01-01T10:00:00.250Z")
        #expect(try e.eventTimeMilliseconds() == 1_767_261_600_250)
        #expect(e.time == "2026-01-01T10:00:00.250Z")
        // An offset is applied; sub-millisecond digits round toward negative infinity.
        #expect(try event(time: "2026-01-01T11:00:00.2509+01:00").eventTimeMilliseconds() == 1_767_261_600_250)
        #expect(try event(time: "1969-12-31T23:59:59.9995Z").eventTimeMilliseconds() == -1)
    }

    @Test func absentOrNullTimeIsNoEventTime() throws {
        #expect(try event(time: nil).eventTimeMilliseconds() == nil)
        #expect(try event(time: .null).eventTimeMilliseconds() == nil)
        #expect(try event(time: nil).time == nil)
    }

    @Test func unreadableTimeIsAnError() throws {
        #expect(throws: EventTimeError.notRFC3339("yesterday")) { try event(time: "yesterday").eventTimeMilliseconds() }
        #expect(throws: EventTimeError.notRFC3339("2026-02-30T00:00:00Z")) {
            try event(time: "2026-02-30T00:00:00Z").eventTimeMilliseconds()
        }
        #expect(throws: EventTimeError.notAString) { try event(time: 1_767_261_600).eventTimeMilliseconds() }
        #expect(try event(time: 1_767_261_600).time == nil)
        #expect(EventTimeError.notRFC3339("x").description == "attribute 'time' is not an RFC 3339 timestamp: 'x'")
        #expect(EventTimeError.notAString.description == "attribute 'time' must be a string (an RFC 3339 timestamp)")
    }

    /// Changing the event recaptures what was read once: `type`, `time` and the event time follow.
    @Test func changesAreCapturedAgain() throws {
        var e = try event(time: "2026-01-01T10:00:00Z")
        try e.setAttribute("time", "2026-01-01T10:00:01Z")
        #expect(try e.eventTimeMilliseconds() == 1_767_261_601_000)
        #expect(e.time == "2026-01-01T10:00:01Z")
        try e.setAttribute("type", "a.much.longer.type.than.fifteen.bytes")
        #expect(e.type == "a.much.longer.type.than.fifteen.bytes")
        #expect(try e.eventTimeMilliseconds() == 1_767_261_601_000)
        e.data = ["a": ["b": "c"]]
        #expect(e.type == "a.much.longer.type.than.fifteen.bytes")
        #expect(e.time == "2026-01-01T10:00:01Z")
        #expect(try e.eventTimeMilliseconds() == 1_767_261_601_000)
        try e.setAttribute("time", nil)
        #expect(e.time == nil)
        #expect(try e.eventTimeMilliseconds() == nil)
        try e.setAttribute("time", "bad")
        #expect(throws: EventTimeError.notRFC3339("bad")) { try e.eventTimeMilliseconds() }
    }

    @Test func eventFromJSONCapturesTypeAndTime() throws {
        let e = try Event(json: [
            "time": "2026-01-01T10:00:00Z", "specversion": "1.0", "id": "1", "source": "/s", "type": "t.x",
        ])
        #expect(e.type == "t.x")
        #expect(e.typeBytes.string == "t.x")
        #expect(try e.eventTimeMilliseconds() == 1_767_261_600_000)
        // Equal content, equal events (what is captured is derived from the content).
        #expect(e == (try Event(id: "1", source: "/s", type: "t.x", attributes: ["time": "2026-01-01T10:00:00Z"])))
    }
}

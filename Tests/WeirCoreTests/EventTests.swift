import Testing
import WeirCore

/// `Event`: building, validating, reading, changing and printing CloudEvents in their packed form.
@Suite struct EventTests {
    static let payload: JSONValue = [
        "s": "Zoë 🚀 日本", "arr": [1, [2, [3]], ["k": .null], "x"], "obj": ["a": ["b": ["c": true]]],
        "big": .int(.max), "neg": .int(.min), "d": 0.1, "empty": "", "e": [], "o": [:], "f": false,
        "quote\"key": "line\nbreak",
    ]

    static func attrs(_ fields: (String, JSONValue)...) -> JSONObject { JSONObject(fields) }

    static let base = try! Event(
        id: "e1", source: "/shop", type: "order.created",
        attributes: attrs(("time", "2026-01-01T10:00:00Z"), ("subject", "o1")), data: ["n": 1])

    // MARK: Building

    @Test func initFromSwiftValues() {
        let e = try! Event(id: "e1", source: "/s", type: "t")
        #expect(e.specversion == "1.0")
        #expect(e.id == "e1")
        #expect(e.source == "/s")
        #expect(e.type == "t")
        #expect(e.attributes == JSONObject())
        #expect(e.data == nil)
        #expect(e.time == nil)
        #expect(e.jsonText == #"{"specversion":"1.0","id":"e1","source":"/s","type":"t"}"#)
    }

    @Test func gettersRoundTrip() {
        let e = Self.base
        #expect(e.specversion == "1.0")
        #expect(e.id == "e1")
        #expect(e.source == "/shop")
        #expect(e.type == "order.created")
        #expect(e.attributes == Self.attrs(("time", "2026-01-01T10:00:00Z"), ("subject", "o1")))
        #expect(e.attributes.keys == ["time", "subject"])
        #expect(e.data == ["n": 1])
        #expect(e.time == "2026-01-01T10:00:00Z")
    }

    @Test func jsonTextOrder() {
        #expect(Self.base.jsonText
            == #"{"specversion":"1.0","id":"e1","source":"/shop","type":"order.created","time":"2026-01-01T10:00:00Z","subject":"o1","data":{"n":1}}"#)
    }

    @Test func jsonTextOrderFromJSONInAnyOrder() throws {
        let e = try Event(json: [
            "data": ["b": 2, "a": 1], "type": "t", "zeta": 1, "id": "i", "alpha": "x", "source": "/s",
            "specversion": "1.0", "time": "2026-01-01T10:00:00Z",
        ])
        #expect(e.jsonText
            == #"{"specversion":"1.0","id":"i","source":"/s","type":"t","zeta":1,"alpha":"x","time":"2026-01-01T10:00:00Z","data":{"b":2,"a":1}}"#)
        #expect(e.attributes.keys == ["zeta", "alpha", "time"])
    }

    @Test func requiredNamesOrder() {
        #expect(Event.requiredNames == ["specversion", "id", "source", "type"])
    }

    @Test func nullAttributesAndDataAreAbsent() throws {
        let e = try Event(json: [
            "specversion": "1.0", "id": "e1", "source": "/s", "type": "t", "subject": .null, "data": .null,
        ])
        #expect(e.attributes.isEmpty)
        #expect(e.data == nil)
        #expect(e[attribute: "subject"] == nil)
        #expect(e.jsonText == #"{"specversion":"1.0","id":"e1","source":"/s","type":"t"}"#)
        let built = try! Event(id: "e1", source: "/s", type: "t", attributes: Self.attrs(("subject", .null)), data: .null)
        #expect(built == e)
        #expect(built.jsonText == e.jsonText)
    }

    @Test func attributesCannotShadowRequiredOrData() {
        let e = try! Event(
            id: "e1", source: "/s", type: "t",
            attributes: Self.attrs(("id", "evil"), ("data", 5), ("specversion", "2.0"), ("subject", "ok")))
        #expect(e.id == "e1")
        #expect(e.specversion == "1.0")
        #expect(e.data == nil)
        #expect(e.attributes == Self.attrs(("subject", "ok")))
        #expect(e.jsonText == #"{"specversion":"1.0","id":"e1","source":"/s","type":"t","subject":"ok"}"#)
    }

    // MARK: Validation

    func event(_ fields: (String, JSONValue)...) -> JSONValue { .object(JSONObject(fields)) }

    @Test func notAnObject() {
        #expect(throws: EventError.notAnObject) { try Event(json: []) }
        #expect(throws: EventError.notAnObject) { try Event(json: "event") }
        #expect(throws: EventError.notAnObject) { try Event(json: .null) }
        #expect(throws: EventError.notAnObject) { try Event(json: 1) }
    }

    @Test func missingAttributes() {
        #expect(throws: EventError.missingAttribute("id")) {
            try Event(json: event(("specversion", "1.0"), ("source", "/s"), ("type", "t")))
        }
        #expect(throws: EventError.missingAttribute("source")) {
            try Event(json: event(("specversion", "1.0"), ("id", "1"), ("type", "t")))
        }
        #expect(throws: EventError.missingAttribute("type")) {
            try Event(json: event(("specversion", "1.0"), ("id", "1"), ("source", "/s")))
        }
        #expect(throws: EventError.missingAttribute("specversion")) {
            try Event(json: event(("id", "1"), ("source", "/s"), ("type", "t")))
        }
        #expect(throws: EventError.missingAttribute("specversion")) { try Event(json: [:]) }
    }

    @Test func nullRequiredAttributeIsMissing() {
        #expect(throws: EventError.missingAttribute("id")) {
            try Event(json: event(("specversion", "1.0"), ("id", .null), ("source", "/s"), ("type", "t")))
        }
        #expect(throws: EventError.missingAttribute("specversion")) {
            try Event(json: event(("specversion", .null), ("id", "1"), ("source", "/s"), ("type", "t")))
        }
    }

    @Test func emptyRequiredAttribute() {
        #expect(throws: EventError.invalidAttribute("id", "must not be empty")) {
            try Event(json: event(("specversion", "1.0"), ("id", ""), ("source", "/s"), ("type", "t")))
        }
        #expect(throws: EventError.invalidAttribute("type", "must not be empty")) {
            try Event(json: event(("specversion", "1.0"), ("id", "1"), ("source", "/s"), ("type", "")))
        }
    }

    @Test func nonStringRequiredAttribute() {
        #expect(throws: EventError.invalidAttribute("type", "must be a string")) {
            try Event(json: event(("specversion", "1.0"), ("id", "1"), ("source", "/s"), ("type", 5)))
        }
        #expect(throws: EventError.invalidAttribute("id", "must be a string")) {
            try Event(json: event(("specversion", "1.0"), ("id", ["x"]), ("source", "/s"), ("type", "t")))
        }
        #expect(throws: EventError.invalidAttribute("specversion", "must be a string")) {
            try Event(json: event(("specversion", 1.0), ("id", "1"), ("source", "/s"), ("type", "t")))
        }
        #expect(throws: EventError.invalidAttribute("source", "must be a string")) {
            try Event(json: event(("specversion", "1.0"), ("id", "1"), ("source", true), ("type", "t")))
        }
    }

    @Test func unsupportedSpecVersion() {
        #expect(throws: EventError.unsupportedSpecVersion("0.3")) {
            try Event(json: event(("specversion", "0.3"), ("id", "1"), ("source", "/s"), ("type", "t")))
        }
        #expect(throws: EventError.unsupportedSpecVersion("1.0 ")) {
            try Event(json: event(("specversion", "1.0 "), ("id", "1"), ("source", "/s"), ("type", "t")))
        }
    }

    @Test func errorDescriptions() {
        #expect(EventError.notAnObject.description == "not a JSON object")
        #expect(EventError.missingAttribute("id").description == "missing required attribute 'id'")
        #expect(EventError.invalidAttribute("type", "must be a string").description == "attribute 'type' must be a string")
        #expect(EventError.unsupportedSpecVersion("0.3").description == "unsupported specversion '0.3' (expected '1.0')")
    }

    // MARK: Setters

    @Test func settingIDKeepsTheRest() throws {
        var e = Self.base
        try e.setAttribute("id", "x")
        #expect(e.id == "x")
        #expect(e.specversion == "1.0" && e.source == "/shop" && e.type == "order.created")
        #expect(e.attributes == Self.base.attributes)
        #expect(e.data == Self.base.data)
        #expect(e.jsonText
            == #"{"specversion":"1.0","id":"x","source":"/shop","type":"order.created","time":"2026-01-01T10:00:00Z","subject":"o1","data":{"n":1}}"#)
        #expect(e != Self.base)
        try e.setAttribute("id", "e1")
        #expect(e == Self.base)
    }

    @Test func settingEachRequiredAttribute() throws {
        var e = Self.base
        try e.setAttribute("source", "/other")
        try e.setAttribute("type", "order.shipped")
        try e.setAttribute("specversion", "1.0")
        #expect(e.id == "e1" && e.source == "/other" && e.type == "order.shipped" && e.specversion == "1.0")
        #expect(e.attributes == Self.base.attributes)
        #expect(e.data == Self.base.data)
        #expect(e.jsonText
            == #"{"specversion":"1.0","id":"e1","source":"/other","type":"order.shipped","time":"2026-01-01T10:00:00Z","subject":"o1","data":{"n":1}}"#)
    }

    @Test func settingDataKeepsTheRest() {
        var e = Self.base
        e.data = Self.payload
        #expect(e.data == Self.payload)
        #expect(e.id == "e1" && e.source == "/shop" && e.type == "order.created")
        #expect(e.attributes == Self.base.attributes)
        e.data = nil
        #expect(e.data == nil)
        #expect(e.attributes == Self.base.attributes)
        #expect(e.jsonText
            == #"{"specversion":"1.0","id":"e1","source":"/shop","type":"order.created","time":"2026-01-01T10:00:00Z","subject":"o1"}"#)
        e.data = "text"
        #expect(e.data == "text")
        #expect(e.jsonText.hasSuffix(#","data":"text"}"#))
        e.data = .null
        #expect(e.data == nil)
    }

    @Test func settingAttributesKeepsTheRest() throws {
        var e = Self.base
        try e.setAttribute("time", nil)
        try e.setAttribute("subject", .null)
        try e.setAttribute("subject", "s2")
        try e.setAttribute("priority", 3)
        #expect(e.attributes == Self.attrs(("subject", "s2"), ("priority", 3)))
        #expect(e.id == "e1" && e.source == "/shop" && e.type == "order.created" && e.specversion == "1.0")
        #expect(e.data == ["n": 1])
        #expect(e.time == nil)
        #expect(e.jsonText
            == #"{"specversion":"1.0","id":"e1","source":"/shop","type":"order.created","subject":"s2","priority":3,"data":{"n":1}}"#)
        for key in e.attributes.keys { try e.setAttribute(key, nil) }
        #expect(e.attributes.isEmpty)
        #expect(e.data == ["n": 1])
        try e.setAttribute("time", "2026-01-01T10:00:00Z")
        #expect(e.time == "2026-01-01T10:00:00Z")
        #expect(e.data == ["n": 1])
    }

    /// `setAttribute` checks as the initialiser (and ingest) do; a failed call changes nothing.
    @Test func settingAttributesIsChecked() throws {
        var e = Self.base
        #expect(throws: EventError.invalidAttribute("id", "must not be empty")) { try e.setAttribute("id", "") }
        #expect(throws: EventError.invalidAttribute("id", "must be a string")) { try e.setAttribute("id", 1) }
        #expect(throws: EventError.missingAttribute("type")) { try e.setAttribute("type", nil) }
        #expect(throws: EventError.unsupportedSpecVersion("0.3")) { try e.setAttribute("specversion", "0.3") }
        #expect(throws: EventError.invalidAttributeName("EXT")) { try e.setAttribute("EXT", 1) }
        #expect(throws: EventError.invalidAttribute("data", "is the payload: set 'data' instead")) {
            try e.setAttribute("data", 1)
        }
        #expect(e == Self.base)
        try e.setAttribute("id", "evil")
        try e.setAttribute("x", 1)
        #expect(e.id == "evil")
        #expect(e.attributes == Self.attrs(("time", "2026-01-01T10:00:00Z"), ("subject", "o1"), ("x", 1)))
    }

    // MARK: Equality

    @Test func equalEventsBuiltDifferentWays() throws {
        let a = try! Event(id: "e1", source: "/s", type: "t", attributes: Self.attrs(("subject", "x")), data: ["n": 1])
        let b = try Event(json: [
            "specversion": "1.0", "subject": "x", "id": "e1", "data": ["n": 1], "source": "/s", "type": "t",
        ])
        var c = try! Event(id: "other", source: "/s", type: "t", attributes: Self.attrs(("subject", "x")), data: ["n": 1])
        try c.setAttribute("id", "e1")
        var d = try! Event(id: "e1", source: "/s", type: "t")
        d.data = ["n": 1]
        try d.setAttribute("subject", "x")
        let e = try! Event(id: "e1", source: "/s", type: "t", attributes: Self.attrs(("subject", "x"), ("gone", .null)), data: ["n": 1])
        for other in [b, c, d, e] {
            #expect(other == a)
            #expect(other.hashValue == a.hashValue)
            #expect(other.jsonText == a.jsonText)
        }
        #expect(Set([a, b, c, d, e]).count == 1)
    }

    @Test func unequalEvents() throws {
        let a = try! Event(id: "e1", source: "/s", type: "t", data: ["n": 1])
        #expect(try a != Event(id: "e1", source: "/s", type: "t", data: ["n": 1.0]))
        #expect(try a != Event(id: "e1", source: "/s", type: "t", data: ["n": 2]))
        #expect(try a != Event(id: "e1", source: "/s", type: "t"))
        #expect(try a != Event(id: "e2", source: "/s", type: "t", data: ["n": 1]))
        #expect(try a != Event(id: "e1", source: "/s", type: "t", attributes: Self.attrs(("subject", "x")), data: ["n": 1]))
        #expect(try Set([a, Event(id: "e1", source: "/s", type: "t", data: ["n": 2])]).count == 2)
    }

    // MARK: Reading

    @Test func attributeSubscript() {
        let e = try! Event(
            id: "e1", source: "/s", type: "t",
            attributes: Self.attrs(("subject", "x"), ("count", 5), ("flag", true), ("list", [1, 2])), data: ["n": 1])
        #expect(e[attribute: "specversion"] == "1.0")
        #expect(e[attribute: "id"] == "e1")
        #expect(e[attribute: "source"] == "/s")
        #expect(e[attribute: "type"] == "t")
        #expect(e[attribute: "subject"] == "x")
        #expect(e[attribute: "count"] == 5)
        #expect(e[attribute: "flag"] == true)
        #expect(e[attribute: "list"] == [1, 2])
        #expect(e[attribute: "data"] == nil)
        #expect(e[attribute: "missing"] == nil)
        #expect(e[attribute: "ID"] == nil)
        #expect(e[attribute: ""] == nil)
    }

    /// Keys and values around the 8-byte word boundary of the packed form, and keys that are
    /// prefixes of one another.
    @Test func packedWordBoundaries() {
        let keys = ["a", "abcdefg", "abcdefgh", "abcdefghi", "abcdefghijklmno", "abcdefghijklmnop", "abcdefghijklmnopq"]
        var attributes = JSONObject()
        for (i, key) in keys.enumerated() { attributes[key] = .string(String(repeating: "v", count: i * 4)) }
        let e = try! Event(id: "12345678", source: "1234567", type: "123456789", attributes: attributes, data: .string("12345678"))
        for (i, key) in keys.enumerated() {
            #expect(e[attribute: key] == .string(String(repeating: "v", count: i * 4)), "\(key)")
        }
        #expect(e[attribute: "abcdef"] == nil)
        #expect(e[attribute: "abcdefghij"] == nil)
        #expect(e.id == "12345678" && e.source == "1234567" && e.type == "123456789")
        #expect(e.attributes == attributes)
        #expect(e.data == "12345678")
    }

    @Test func time() {
        #expect(Self.base.time == "2026-01-01T10:00:00Z")
        #expect(try! Event(id: "1", source: "/s", type: "t").time == nil)
        #expect(try! Event(id: "1", source: "/s", type: "t", attributes: Self.attrs(("time", 5))).time == nil)
        #expect(try! Event(id: "1", source: "/s", type: "t", attributes: Self.attrs(("time", "not a time"))).time == "not a time")
        // `time` inside data is not the event time.
        #expect(try! Event(id: "1", source: "/s", type: "t", data: ["time": "2026-01-01T10:00:00Z"]).time == nil)
    }

    @Test func nestedData() {
        let e = try! Event(id: "1", source: "/s", type: "t", data: Self.payload)
        #expect(e.data == Self.payload)
        #expect(e.data?["s"] == "Zoë 🚀 日本")
        #expect(e.data?["arr"]?[1]?[1]?[0] == 3)
        #expect(e.data?["arr"]?[2] == ["k": .null])
        #expect(e.data?["obj"]?["a"]?["b"]?["c"] == true)
        #expect(e.data?["big"] == .int(.max))
        #expect(e.data?["neg"] == .int(.min))
        #expect(e.data?["d"] == 0.1)
        #expect(e.data?["quote\"key"] == "line\nbreak")
        #expect(e.jsonText == #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":"#
            + JSONWriter.string(Self.payload) + "}")
        #expect(JSONWriter.string(Self.payload)
            == #"{"s":"Zoë 🚀 日本","arr":[1,[2,[3]],{"k":null},"x"],"obj":{"a":{"b":{"c":true}}},"big":9223372036854775807,"neg":-9223372036854775808,"d":0.1,"empty":"","e":[],"o":{},"f":false,"quote\"key":"line\nbreak"}"#)
    }

    @Test func scalarAndArrayData() {
        for data: JSONValue in [0, -1, 2.5, true, false, "", "x", [], [1, "a", .null], [:]] {
            let e = try! Event(id: "1", source: "/s", type: "t", data: data)
            #expect(e.data == data)
            #expect(e.jsonText == #"{"specversion":"1.0","id":"1","source":"/s","type":"t","data":"# + JSONWriter.string(data) + "}")
        }
    }

    @Test func writeToWriter() {
        var writer = JSONWriter()
        writer.append("[")
        Self.base.write(to: &writer)
        writer.append("]")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[" + Self.base.jsonText + "]")
    }
}

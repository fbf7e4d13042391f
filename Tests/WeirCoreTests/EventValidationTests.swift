import Testing
import WeirCore

/// One rule for events from Swift values and from JSON: required attributes non-empty,
/// specversion "1.0", attribute names lower-case letters and digits (CloudEvents 1.0).
@Suite struct EventValidationTests {
    @Test func attributesTakeADictionaryLiteral() throws {
        let attributes: JSONObject = ["subject": "sub", "priority": 3]
        #expect(attributes.keys == ["subject", "priority"])
        let event = try Event(id: "1", source: "/s", type: "t", attributes: ["subject": "sub"])
        #expect(event[attribute: "subject"] == "sub")
    }

    @Test(arguments: [
        (("", "/s", "t", "1.0"), EventError.invalidAttribute("id", "must not be empty")),
        (("1", "", "t", "1.0"), .invalidAttribute("source", "must not be empty")),
        (("1", "/s", "", "1.0"), .invalidAttribute("type", "must not be empty")),
        (("1", "/s", "t", "0.3"), .unsupportedSpecVersion("0.3")),
        (("1", "/s", "t", ""), .invalidAttribute("specversion", "must not be empty")),
    ])
    func initialiserRejectsWhatIngestRejects(_ values: (String, String, String, String), _ error: EventError) {
        #expect(throws: error) {
            try Event(id: values.0, source: values.1, type: values.2, specversion: values.3)
        }
        let json: JSONValue = ["specversion": .string(values.3), "id": .string(values.0), "source": .string(values.1), "type": .string(values.2)]
        #expect(throws: error) { try Event(json: json) }
    }

    @Test(arguments: ["EXT", "Subject", "my-ext", "my_ext", "é", "", "a b"])
    func attributeNamesAreLowerCaseLettersAndDigits(_ name: String) {
        #expect(!Event.isAttributeName(name))
        #expect(throws: EventError.invalidAttributeName(name)) {
            try Event(id: "1", source: "/s", type: "t", attributes: JSONObject([(name, JSONValue.int(1))]))
        }
        #expect(throws: EventError.invalidAttributeName(name)) {
            try Event(json: .object(JSONObject([("specversion", "1.0"), ("id", "1"), ("source", "/s"), ("type", "t"), (name, JSONValue.int(1))] as [(String, JSONValue)])))
        }
        #expect(EventError.invalidAttributeName(name).description.contains("'\(name)'"))
    }

    @Test func validNames() throws {
        for name in ["subject", "ext1", "2x", "data_base64", "time", "dataschema"] {
            #expect(Event.isAttributeName(name))
            _ = try Event(id: "1", source: "/s", type: "t", attributes: JSONObject([(name, JSONValue.int(1))]))
        }
    }
}

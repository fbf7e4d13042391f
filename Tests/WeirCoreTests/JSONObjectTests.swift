import Testing
import WeirCore

/// `JSONObject` and `JSONValue` lookups.
@Suite struct JSONObjectTests {
    @Test func repeatedKeyKeepsFirstPositionAndLastValue() {
        let object = JSONObject([("a", 1), ("b", 2), ("a", 3)])
        #expect(object.keys == ["a", "b"])
        #expect(object.values == [3, 2])
        #expect(object.count == 2)
        #expect(object["a"] == 3)
    }

    @Test func dictionaryLiteralKeepsOrder() {
        let value: JSONValue = ["z": 1, "a": 2, "m": 3]
        guard case .object(let object) = value else {
            Issue.record("not an object")
            return
        }
        #expect(object.keys == ["z", "a", "m"])
        #expect(JSONWriter.string(value) == #"{"z":1,"a":2,"m":3}"#)
    }

    @Test func assignmentReplacesInPlace() {
        var object = JSONObject([("a", 1), ("b", 2), ("c", 3)])
        object["b"] = "two"
        #expect(object.keys == ["a", "b", "c"])
        #expect(object.values == [1, "two", 3])
        object["d"] = 4
        #expect(object.keys == ["a", "b", "c", "d"])
    }

    @Test func removalViaNil() {
        var object = JSONObject([("a", 1), ("b", 2), ("c", 3)])
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        #expect(object.values == [1, 3])
        #expect(object["b"] == nil)
        object["missing"] = nil
        #expect(object.count == 2)
        // Re-adding a removed key puts it last.
        object["b"] = 5
        #expect(object.keys == ["a", "c", "b"])
        object["a"] = nil
        object["c"] = nil
        object["b"] = nil
        #expect(object.isEmpty)
        #expect(object == JSONObject())
    }

    @Test func explicitNullIsStoredButAbsentThroughJSONValue() {
        var object = JSONObject()
        object["n"] = .null
        #expect(object.count == 1)
        #expect(object["n"] == .null)
        #expect(JSONValue.object(object)["n"] == nil)
        #expect(JSONWriter.string(.object(object)) == #"{"n":null}"#)
    }

    @Test func keysAreCaseSensitiveAndExact() {
        let object = JSONObject([("Key", 1), ("key", 2), ("ké", 3)])
        #expect(object.count == 3)
        #expect(object["Key"] == 1)
        #expect(object["key"] == 2)
        #expect(object["KEY"] == nil)
        #expect(object["ké"] == 3)
    }

    /// "é" as one scalar (U+00E9) and as "e" plus a combining accent (U+0301) are different JSON
    /// keys (different bytes), and the evaluator and the packed form treat them so.
    @Test func canonicallyEquivalentKeysAreDifferentKeys() {
        let composed = "\u{E9}"
        let decomposed = "e\u{301}"
        #expect(Array(composed.utf8) != Array(decomposed.utf8))
        // As a decoder builds an object from a document holding both keys:
        var decoded = JSONObject()
        decoded.appendUnchecked(composed, 1)
        decoded.appendUnchecked(decomposed, 2)
        #expect(decoded.count == 2)
        #expect(decoded[composed] == 1)
        #expect(decoded[decomposed] == 2)
        #expect(decoded.index(of: decomposed) == 1)
        #expect(JSONObject([(composed, JSONValue.int(1)), (decomposed, JSONValue.int(2))]).count == 2)
    }

    @Test func equalityIsOrderSensitive() {
        #expect(JSONObject([("a", 1), ("b", 2)]) == JSONObject([("a", 1), ("b", 2)]))
        #expect(JSONObject([("a", 1), ("b", 2)]) != JSONObject([("b", 2), ("a", 1)]))
        #expect(JSONObject([("a", 1), ("b", 2), ("a", 3)]) == JSONObject([("a", 3), ("b", 2)]))
    }

    @Test func fieldsInOrder() {
        let object = JSONObject([("x", 1), ("y", "2")])
        let fields = Array(object.fields)
        #expect(fields.map(\.0) == ["x", "y"])
        #expect(fields.map(\.1) == [1, "2"])
        #expect(object.index(of: "y") == 1)
        #expect(object.index(of: "z") == nil)
    }

    @Test func jsonValueSubscripts() {
        let value: JSONValue = ["items": [["sku": "p1"], .null, 3], "n": .null, "s": "x"]
        #expect(value["items"]?[0]?["sku"] == "p1")
        #expect(value["items"]?[1] == nil)  // null element counts as absent
        #expect(value["items"]?[2] == 3)
        #expect(value["items"]?[3] == nil)
        #expect(value["items"]?[-1] == nil)
        #expect(value["n"] == nil)
        #expect(value["s"]?["x"] == nil)  // not an object
        #expect(value["s"]?[0] == nil)  // not an array
        #expect(value["missing"] == nil)
    }
}

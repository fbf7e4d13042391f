import Testing

@testable import WeirCore
import WeirTestSupport

/// Walks over deeply nested values never recurse: writing, packing, decoding, comparing and
/// hashing a value nested 65536 levels deep works on a thread with a 512 KiB stack.
@Suite struct DeepValueTests {
    static let depth = 65536

    static func deepArray(_ depth: Int) -> JSONValue {
        var value: JSONValue = 1
        for _ in 0..<depth { value = .array([value]) }
        return value
    }

    static func deepObject(_ depth: Int) -> JSONValue {
        var value: JSONValue = "leaf"
        for _ in 0..<depth { value = .object(JSONObject(uncheckedKeys: ["a"], values: [value])) }
        return value
    }

    @Test(arguments: [false, true])
    func writesPacksAndComparesDeepValues(objects: Bool) {
        let (text, decodedText, equal, sameHash, descriptionCount) = onSmallStack {
            let value = objects ? Self.deepObject(Self.depth) : Self.deepArray(Self.depth)
            let other = objects ? Self.deepObject(Self.depth) : Self.deepArray(Self.depth)
            let text = JSONWriter.string(value)
            let packed = PackedJSON(value)
            var writer = JSONWriter()
            writer.write(packed: packed, at: PackedJSON.root)
            let decoded = packed.decode()
            let result = (
                text, String(decoding: writer.bytes, as: UTF8.self) + "|" + JSONWriter.string(decoded),
                value == other && decoded == value, value.hashValue == other.hashValue,
                value.description.utf8.count
            )
            JSONValue.release(consume value)
            JSONValue.release(consume other)
            JSONValue.release(consume decoded)
            return result
        }
        let open = objects ? String(repeating: #"{"a":"#, count: Self.depth) : String(repeating: "[", count: Self.depth)
        let close = String(repeating: objects ? "}" : "]", count: Self.depth)
        let expected = open + (objects ? #""leaf""# : "1") + close
        #expect(text == expected)
        #expect(decodedText == expected + "|" + expected)
        #expect(equal)
        #expect(sameHash)
        #expect(descriptionCount == expected.utf8.count)
    }

    @Test func deepValuesThatDifferAtTheBottomAreNotEqual() {
        let equal = onSmallStack {
            var a: JSONValue = 1
            var b: JSONValue = 2
            for _ in 0..<Self.depth {
                a = .array([a])
                b = .array([b])
            }
            let result = a == b
            JSONValue.release(consume a)
            JSONValue.release(consume b)
            return result
        }
        #expect(!equal)
    }

    @Test func eventWithDeepPayloadRoundTrips() {
        let same = onSmallStack {
            let value = Self.deepArray(Self.depth)
            let event = try! Event(id: "1", source: "/s", type: "t", data: value)
            let text = event.jsonText
            let data = event.data!
            let result = text.hasSuffix(String(repeating: "]", count: Self.depth) + "}") && data == value
            JSONValue.release(consume data)
            JSONValue.release(consume value)
            return result
        }
        #expect(same)
    }
}

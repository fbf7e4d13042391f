import CSimdJSON
import Testing
import WeirCore

@testable import WeirIngest

/// Documents copied into owned `Event`s.
@Suite struct ConversionTests {
    @Test func nestedData() throws {
        let event = try EventReader.parseEvent(
            #"{"specversion":"1.0","id":"o1","source":"/shop","type":"order.created","time":"2024-01-01T00:00:00Z","#
                + #""subject":"order/o1","data":{"items":[{"sku":"p1","qty":2},{"sku":"p2","qty":1}],"addr":{"country":"USA"},"#
                + #""empty":{},"none":[],"flag":false,"nothing":null}}"#)
        #expect(event.id == "o1")
        #expect(event.source == "/shop")
        #expect(event.type == "order.created")
        #expect(event.specversion == "1.0")
        #expect(event.attributes.keys == ["time", "subject"])
        #expect(event.time == "2024-01-01T00:00:00Z")
        let expected: JSONValue = [
            "items": [["sku": "p1", "qty": 2], ["sku": "p2", "qty": 1]], "addr": ["country": "USA"],
            "empty": [:], "none": [], "flag": false, "nothing": .null,
        ]
        #expect(event.data == expected)
        if case .object(let data) = event.data {
            #expect(data.keys == ["items", "addr", "empty", "none", "flag", "nothing"])
        }
    }

    @Test func unicodeStrings() throws {
        let event = try EventReader.parseEvent(
            #"{"specversion":"1.0","id":"héllo ✓ 😀","source":"\u00e9\ud83d\ude00","type":"t\"\\\n\t\u0000","data":"日本"}"#)
        #expect(event.id == "héllo ✓ 😀")
        #expect(event.source == "é😀")
        #expect(event.type == "t\"\\\n\t\u{0}")
        #expect(event.data == .string("日本"))
    }

    @Test func numbers() throws {
        let event = try EventReader.parseEvent(
            #"{"specversion":"1.0","id":"n","source":"s","type":"t","data":["#
                + "9223372036854775807,-9223372036854775808,-0,-0.0,1e308,9223372036854775808,"
                + "18446744073709551615,0.1,1.5e-300,12.0,1E2,-7]}")
        guard case .array(let n) = event.data else {
            Issue.record("data is not an array")
            return
        }
        #expect(n[0] == .int(.max))
        #expect(n[1] == .int(.min))
        #expect(n[2] == .int(0))
        guard case .double(let negativeZero) = n[3] else { Issue.record("-0.0 is not a double"); return }
        #expect(negativeZero == 0 && negativeZero.sign == .minus)
        #expect(n[4] == .double(1e308))
        #expect(n[5] == .double(9_223_372_036_854_775_808.0))
        #expect(n[6] == .double(18_446_744_073_709_551_615.0))
        #expect(n[7] == .double(0.1))
        #expect(n[8] == .double(1.5e-300))
        #expect(n[9] == .double(12.0))
        #expect(n[10] == .double(100))
        #expect(n[11] == .int(-7))
    }

    @Test func numbersBeyondDoubleAreRejected() {
        // simdjson 3.0 refuses integers beyond 64 bits and numbers beyond the double range.
        #expect(throws: IngestFailure.invalidJSON("Problem while parsing a number")) {
            try EventReader.parseEvent(#"{"specversion":"1.0","id":"n","source":"s","type":"t","data":18446744073709551616}"#)
        }
        #expect(throws: IngestFailure.invalidJSON("Problem while parsing a number")) {
            try EventReader.parseEvent(#"{"specversion":"1.0","id":"n","source":"s","type":"t","data":1e400}"#)
        }
    }

    @Test func nullsAreAbsent() throws {
        let event = try EventReader.parseEvent(
            #"{"specversion":"1.0","id":"n","source":"s","type":"t","subject":null,"x":1,"data":null}"#)
        #expect(event.attributes.keys == ["x"])
        #expect(event.data == nil)
    }

    @Test func parseEventFailures() {
        #expect(throws: IngestFailure.notAnObject) { try EventReader.parseEvent("[1]") }
        #expect(throws: IngestFailure.invalidEvent(.missingAttribute("id"))) {
            try EventReader.parseEvent(#"{"specversion":"1.0","source":"s","type":"t"}"#)
        }
        #expect(throws: IngestFailure.invalidUTF8) { try EventReader.parseEvent([0x22, 0xFF, 0x22]) }
        #expect(throws: IngestFailure.invalidJSON("Empty: no JSON found")) { try EventReader.parseEvent("") }
        #expect(throws: IngestFailure.tooLong(bytes: 11, limit: 10)) {
            try EventReader.parseEvent("{         }", limits: try! IngestLimits(maxLineBytes: 10))
        }
        #expect(throws: IngestFailure.tooDeep(limit: 2)) {
            try EventReader.parseEvent(#"{"data":[[1]]}"#, limits: try! IngestLimits(maxDepth: 2))
        }
        #expect(IngestFailure.invalidJSON("Empty: no JSON found").description == "not valid JSON (empty: no JSON found)")
        #expect(IngestFailure.invalidJSON("JSON is bad").description == "not valid JSON (JSON is bad)")
    }

    @Test func prettyPrintedTextParses() throws {
        let event = try EventReader.parseEvent("{\n  \"specversion\": \"1.0\",\n  \"id\": \"p\",\n  \"source\": \"s\",\n  \"type\": \"t\"\n}\n")
        #expect(event.id == "p")
    }

    /// The direct conversion and check agree with `Event(json: JSONValue(element:))` on every
    /// document, duplicates and odd cases included.
    @Test(arguments: [
        #"{"specversion":"1.0","id":"a","source":"s","type":"t","x":1,"x":null}"#,
        #"{"specversion":"1.0","id":"a","source":"s","type":"t","x":null,"x":2,"y":3}"#,
        #"{"specversion":"1.0","id":"a","source":"s","type":"t","data":1,"data":null}"#,
        #"{"specversion":"1.0","id":"a","source":"s","type":"t","data":null,"data":{"k":[1,2]}}"#,
        #"{"specversion":"1.0","id":"a","source":"s","type":"t","id":"b"}"#,
        #"{"specversion":"1.0","id":5,"source":"s","type":"t","id":"b"}"#,
        #"{"specversion":"1.0","id":"a","source":"s","type":"t","id":5}"#,
        #"{"specversion":"1.0","id":"a","source":"s","type":"t","id":null}"#,
        #"{"specversion":"1.0","id":null,"source":"s","type":"t","id":"b"}"#,
        #"{"id":1,"type":2}"#,
        #"{"type":2,"id":1,"type":"x"}"#,
        #"{"specversion":"1.1","id":"","source":"s","type":"t"}"#,
        #"{"specversion":"1.1","id":"a","source":"s","type":"t"}"#,
        #"{"specversion":"","id":"a","source":"s","type":"t"}"#,
        #"{"specversion":null,"id":"","source":"s","type":"t"}"#,
        #"{"specversion":"1.0","id":"a","source":"s","type":"t","specversionx":1,"ids":2,"sourc":3,"typ":4,"data":5}"#,
        #"{}"#,
        #"{"specversion":"1.0","id":"a","source":"s","type":"t","EXT":1}"#,
        #"{"specversion":"1.0","id":"a","source":"s","type":"t","ok":1,"my-ext":null,"B":2}"#,
        #"{"specversion":"1.0","id":"a","source":"s","type":"t","data_base64":"AA=="}"#,
        #"{"specversion":"0.3","id":"a","source":"s","type":"t","EXT":1}"#,
        #"{"specversion":"1.0","id":"","source":"s","type":"t","EXT":1}"#,
    ])
    func agreesWithEventJSON(_ text: String) throws {
        let expected: Result<Event, EventError> = Result { () throws(EventError) in try Event(json: Self.jsonValue(text)) }
        let actual: Result<Event, IngestFailure> = Result { () throws(IngestFailure) in try EventReader.parseEvent(text) }
        switch (expected, actual) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a), .failure(.invalidEvent(let b))): #expect(a == b)
        default: Issue.record("Event(json:) gave \(expected), the reader gave \(actual)")
        }
    }

    /// `text` parsed into a JSONValue by WeirCore's own conversion.
    static func jsonValue(_ text: String) -> JSONValue {
        let parser = weir_parser_create(1 << 20, 64)
        defer { weir_parser_destroy(parser) }
        let padded = Array(text.utf8) + Array(repeating: 0, count: weir_json_padding())
        var root = weir_elem()
        let status = padded.withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { weir_parse(parser, $0.baseAddress, text.utf8.count, &root) }
        }
        #expect(status == Int32(WEIR_PARSE_OK))
        return JSONValue(element: root)
    }
}

import CSimdJSON
import Testing

/// The C interface over simdjson, used directly.
@Suite struct ParserShimTests {
    /// Parses `text` and runs `body` on its root while the document is alive.
    func withRoot(_ text: String, maxDepth: Int = 64, _ body: (weir_elem) -> Void) {
        let parser = weir_parser_create(1 << 20, maxDepth)
        defer { weir_parser_destroy(parser) }
        let padded = Array(text.utf8) + Array(repeating: 0x20, count: weir_json_padding())
        var root = weir_elem()
        let status = padded.withUnsafeBufferPointer {
            $0.withMemoryRebound(to: CChar.self) { weir_parse(parser, $0.baseAddress, text.utf8.count, &root) }
        }
        #expect(status == Int32(WEIR_PARSE_OK), "\(String(cString: weir_parser_last_error(parser)))")
        if status == Int32(WEIR_PARSE_OK) { body(root) }
    }

    func step(_ key: StaticString) -> weir_step {
        weir_step(key: UnsafeRawPointer(key.utf8Start).assumingMemoryBound(to: CChar.self), key_len: key.utf8CodeUnitCount, index: 0)
    }

    func step(_ index: Int) -> weir_step { weir_step(key: nil, key_len: 0, index: index) }

    func string(_ e: weir_elem) -> String {
        var length = 0
        let bytes = weir_elem_string(e, &length)
        return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
    }

    @Test func kindsAndScalars() {
        withRoot(#"[null,true,false,-5,18446744073709551615,2.5,"s",[],{}]"#) { root in
            var kinds: [Int32] = []
            var it = weir_iter_begin(root)
            var value = weir_elem()
            while weir_iter_next(&it, nil, nil, &value) { kinds.append(weir_elem_kind(value)) }
            let expected: [Int] = [
                WEIR_JSON_NULL, WEIR_JSON_BOOL, WEIR_JSON_BOOL, WEIR_JSON_INT64, WEIR_JSON_UINT64, WEIR_JSON_DOUBLE,
                WEIR_JSON_STRING, WEIR_JSON_ARRAY, WEIR_JSON_OBJECT,
            ]
            #expect(kinds.map { Int($0) } == expected)
            var e = weir_elem()
            #expect(weir_elem_at(root, 1, &e) && weir_elem_bool(e))
            #expect(weir_elem_at(root, 3, &e) && weir_elem_int64(e) == -5 && weir_elem_double(e) == -5)
            #expect(weir_elem_at(root, 4, &e) && weir_elem_uint64(e) == .max)
            #expect(weir_elem_at(root, 5, &e) && weir_elem_double(e) == 2.5)
            #expect(weir_elem_at(root, 6, &e) && string(e) == "s")
            #expect(!weir_elem_at(root, 9, &e))
            #expect(weir_elem_count(root) == 9)
        }
    }

    @Test func scalarRootsParse() {
        withRoot("42") { #expect(weir_elem_kind($0) == Int32(WEIR_JSON_INT64)) }
        withRoot(#""x""#) { #expect(weir_elem_kind($0) == Int32(WEIR_JSON_STRING)) }
        withRoot("null") { #expect(weir_elem_kind($0) == Int32(WEIR_JSON_NULL)) }
    }

    @Test func objectsInDocumentOrder() {
        withRoot(#"{"b":1,"a":{"c":[10,{"d":"deep"}]},"b":2,"":3}"#) { root in
            var keys: [String] = []
            var it = weir_iter_begin(root)
            var key: UnsafePointer<CChar>? = nil
            var length = 0
            var value = weir_elem()
            while weir_iter_next(&it, &key, &length, &value) {
                keys.append(String(decoding: UnsafeRawBufferPointer(start: key, count: length), as: UTF8.self))
            }
            #expect(keys == ["b", "a", "b", ""])
            #expect(weir_elem_count(root) == 4)
            var e = weir_elem()
            #expect(weir_elem_field(root, "", 0, &e) && weir_elem_int64(e) == 3)
            // A repeated key counts by its last occurrence, as in JSONObject.
            #expect(weir_elem_field(root, "b", 1, &e) && weir_elem_int64(e) == 2)
            #expect(!weir_elem_field(root, "B", 1, &e))
            let steps = [step("a"), step("c"), step(1), step("d")]
            #expect(weir_elem_path(root, steps, steps.count, &e) && string(e) == "deep")
            #expect(weir_elem_path(root, steps, 3, &e) && weir_elem_kind(e) == Int32(WEIR_JSON_OBJECT))
            #expect(!weir_elem_path(root, [step("a"), step("c"), step(2)], 3, &e))
            let wrong = [step("a"), step(0)]
            #expect(!weir_elem_path(root, wrong, wrong.count, &e))
            #expect(weir_elem_path(root, nil, 0, &e) && weir_elem_kind(e) == Int32(WEIR_JSON_OBJECT))
        }
    }

    @Test func severalFieldsInOnePass() {
        withRoot(#"{"id":"x","n":1,"s":"","id":"y","o":{"id":"z"},"n":null}"#) { root in
            let keys: [StaticString] = ["id", "n", "s", "o", "missing", ""]
            var fields = keys.map {
                weir_field(
                    key: UnsafeRawPointer($0.utf8Start).assumingMemoryBound(to: CChar.self), key_len: $0.utf8CodeUnitCount,
                    kind: 99, value: weir_elem(), string: nil, string_len: 9, position: 9)
            }
            #expect(weir_elem_fields(root, &fields, fields.count))
            #expect(fields.map(\.kind) == [
                Int32(WEIR_JSON_STRING), Int32(WEIR_JSON_NULL), Int32(WEIR_JSON_STRING), Int32(WEIR_JSON_OBJECT), -1, -1,
            ])
            #expect(fields.map(\.position) == [0, 1, 2, 4, -1, -1])  // SIZE_MAX when absent
            #expect(fields.map(\.string_len) == [1, 0, 0, 0, 0, 0])
            #expect(fields[0].string.map { String(cString: $0).hasPrefix("y") } == true)
            #expect(fields.allSatisfy { $0.string != nil })
            #expect(string(fields[0].value) == "y")
            var inner = weir_elem()
            #expect(weir_elem_field(fields[3].value, "id", 2, &inner) && string(inner) == "z")

            var n = weir_elem()
            #expect(weir_elem_field(root, "n", 1, &n))
            #expect(!weir_elem_fields(n, &fields, fields.count))
            #expect(fields.allSatisfy { $0.kind == -1 && $0.string_len == 0 })
            #expect(!weir_elem_fields(weir_elem(), &fields, fields.count))
            #expect(weir_elem_fields(root, nil, 0))
        }
    }

    @Test func scalarsHaveNothingToIterate() {
        withRoot(#"{"n":1}"#) { root in
            var n = weir_elem()
            #expect(weir_elem_field(root, "n", 1, &n))
            var it = weir_iter_begin(n)
            var value = weir_elem()
            #expect(!weir_iter_next(&it, nil, nil, &value))
            #expect(weir_elem_count(n) == 0)
            #expect(!weir_elem_field(n, "n", 1, &value))
            var length = 99
            #expect(weir_elem_string(n, &length) != nil && length == 0)
        }
    }

    @Test func zeroedElementIsSafe() {
        let zero = weir_elem()
        #expect(weir_elem_kind(zero) == Int32(WEIR_JSON_NULL))
        #expect(weir_elem_count(zero) == 0)
        var out = weir_elem()
        #expect(!weir_elem_field(zero, "a", 1, &out))
        #expect(!weir_elem_at(zero, 0, &out))
        var it = weir_iter_begin(zero)
        #expect(!weir_iter_next(&it, nil, nil, &out))
    }

    @Test func errorCodes() {
        let parser = weir_parser_create(100, 3)
        defer { weir_parser_destroy(parser) }
        func parse(_ bytes: [UInt8]) -> Int {
            let padded = bytes + Array(repeating: 0, count: weir_json_padding())
            var root = weir_elem()
            return padded.withUnsafeBufferPointer {
                $0.withMemoryRebound(to: CChar.self) { Int(weir_parse(parser, $0.baseAddress, bytes.count, &root)) }
            }
        }
        #expect(parse(Array("[[[1]]]".utf8)) == WEIR_PARSE_OK)
        #expect(parse(Array("[[[[1]]]]".utf8)) == WEIR_PARSE_TOO_DEEP)
        #expect(parse(Array(repeating: 0x20, count: 101)) == WEIR_PARSE_TOO_BIG)
        #expect(parse(Array("   ".utf8)) == WEIR_PARSE_EMPTY)
        #expect(parse([0x22, 0xFF, 0x22]) == WEIR_PARSE_INVALID_UTF8)
        #expect(parse(Array("{".utf8)) == WEIR_PARSE_INVALID_JSON)
        #expect(String(cString: weir_parser_last_error(parser)).isEmpty == false)
        #expect(parse(Array("{}".utf8)) == WEIR_PARSE_OK)
    }
}

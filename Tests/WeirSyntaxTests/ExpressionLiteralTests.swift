import Testing
import WeirSyntax

/// Array and object literals, and selectors after any primary (issue 10, §1 "The AST").
@Suite struct ExpressionLiteralTests {
    @Test func arrays() {
        #expect(dump("[1, 'a', data.x]") == """
            array 3 @1:1
              integer 1 @1:2
              string 'a' @1:5
              path data.x @1:10
            """)
        #expect(dump("[]") == "array 0 @1:1")
        #expect(dump("[1, 2,]") == """
            array 2 @1:1
              integer 1 @1:2
              integer 2 @1:5
            """)
        #expect(dump("[[1], []]") == """
            array 2 @1:1
              array 1 @1:2
                integer 1 @1:3
              array 0 @1:7
            """)
    }

    @Test func arrayErrors() {
        #expect(messages("[1, 2") == ["expected ']' to close '[' at 1:1"])
        #expect(messages("[1 2]") == ["expected ']' to close '[' at 1:1"])
        #expect(messages("[,]") == ["expected expression, found ','"])
        #expect(messages("[1,,]") == ["expected expression, found ','"])
    }

    @Test func objects() {
        #expect(dump("{ orderId: data.orderId, 'odd key': 1, key: key, count: count() }") == """
            object 4 @1:1
              field orderId @1:3
                path data.orderId @1:12
              field 'odd key' @1:26
                integer 1 @1:37
              field key @1:40
                identifier key @1:45
              field count @1:50
                call count @1:57
            """)
        #expect(dump("{}") == "object 0 @1:1")
        #expect(dump("{a: 1,}") == """
            object 1 @1:1
              field a @1:2
                integer 1 @1:5
            """)
        #expect(dump("{ nested: { list: [1] } }") == """
            object 1 @1:1
              field nested @1:3
                object 1 @1:11
                  field list @1:13
                    array 1 @1:19
                      integer 1 @1:20
            """)
    }

    @Test func objectKeysAndRanges() throws {
        let (result, _) = parse("{ a: 1, 'b c': 2 }")
        guard case .object(let fields)? = result.expression?.kind else {
            Issue.record("not an object")
            return
        }
        #expect(fields.map(\.key) == ["a", "b c"])
        #expect(fields.map(\.keyRange) == [SourceRange(start: 2, end: 3), SourceRange(start: 8, end: 13)])
        #expect(result.expression?.range == SourceRange(start: 0, end: 18))
    }

    @Test func objectErrors() {
        #expect(diagnostics("{ a: 1, a: 2 }") == """
            <expr>:1:9: error: repeated key 'a' in the object (first at 1:3)
            1 | { a: 1, a: 2 }
              |         ^
            """)
        // Keys are case-sensitive, and a quoted key repeats a bare one.
        #expect(messages("{ a: 1, A: 2 }") == [])
        #expect(messages("{ a: 1, 'a': 2 }") == ["repeated key 'a' in the object (first at 1:3)"])
        #expect(messages("{ a 1 }") == ["expected ':' after the key 'a', found '1'"])
        #expect(messages("{ 1: 2 }") == ["expected a field name or a quoted key in the object, found '1'"])
        #expect(messages("{ a: }") == ["expected expression, found '}'"])
        #expect(messages("{ a: 1") == ["expected '}' to close '{' at 1:1"])
        #expect(messages("{ a: 1 b: 2 }") == ["expected '}' to close '{' at 1:1"])
        // The error is reported once; parsing goes on after the object.
        #expect(messages("{ a 1 } + ") == ["expected ':' after the key 'a', found '1'", "expected expression, found end of input"])
    }

    @Test func selectorsAfterAnyPrimary() {
        #expect(dump("last(fails).data.ip") == """
            select .data.ip @1:1
              call last @1:1
                identifier fails @1:6
            """)
        #expect(dump("(x).y") == """
            select .y @1:1
              identifier x @1:1
            """)
        #expect(dump("f(x)[0]['k']") == """
            select [0].k @1:1
              call f @1:1
                identifier x @1:3
            """)
        #expect(dump("[1, 2][0]") == """
            select [0] @1:1
              array 2 @1:1
                integer 1 @1:2
                integer 2 @1:5
            """)
        #expect(dump("{a: 1}.a = 1") == """
            binary equal @1:1
              select .a @1:1
                object 1 @1:1
                  field a @1:2
                    integer 1 @1:5
              integer 1 @1:12
            """)
        // A name-rooted path stays a `.path` (the compiler resolves its root).
        #expect(dump("login.data.userId") == "path login.data.userId @1:1")
        // Prefix operators apply to the selection: `-f(x).y` is `-(f(x).y)`.
        #expect(dump("-f(x).y") == """
            unary negate @1:1
              select .y @1:2
                call f @1:2
                  identifier x @1:4
            """)
    }

    @Test func selectionRange() {
        let (result, _) = parse("f(x).y[2]")
        #expect(result.expression?.range == SourceRange(start: 0, end: 9))
    }

    @Test func selectionErrors() {
        #expect(messages("f(x).") == ["expected a field name after '.', found end of input"])
        #expect(messages("f(x)[") == ["expected a quoted key or an index after '[', found end of input"])
        #expect(messages("f(x)[a]") == ["expected a quoted key or an index after '[', found 'a'"])
        // After an error in the primary, the selectors add no second error.
        #expect(messages("(1 +).a") == ["expected expression, found ')'"])
    }

    @Test func extensionsAreDialectErrors() {
        let cases: [(String, String)] = [
            ("[1]", "array literals ('[a, b]') are a Weir extension; CloudEvents SQL has none"),
            ("{a: 1}", "object literals ('{ key: value }') are a Weir extension; CloudEvents SQL has none"),
            ("f(x).y", "selecting fields of a value ('f(x).y', '(x)[0]') is a Weir extension; CloudEvents SQL only reads context attributes"),
        ]
        for (text, message) in cases {
            let (result, _) = parse(text, dialect: .cesql)
            #expect(result.diagnostics.map(\.message) == [message], "\(text)")
            #expect(result.diagnostics.allSatisfy { $0.code == .dialect }, "\(text)")
            #expect(result.expression != nil, "the tree stays as parsed: \(text)")
        }
    }

    @Test func deepLiteralsHitTheDepthLimit() {
        let (arrays, _) = parse(String(repeating: "[", count: 300) + String(repeating: "]", count: 300))
        #expect(arrays.diagnostics.map(\.code) == [.limit])
        let (objects, _) = parse(String(repeating: "{a:", count: 300) + "1" + String(repeating: "}", count: 300))
        #expect(objects.diagnostics.map(\.code) == [.limit])
        let selections = "f(x)" + String(repeating: ".a", count: 5000)
        #expect(parse(selections).0.diagnostics.isEmpty, "selectors are a list, not a nesting")
    }
}

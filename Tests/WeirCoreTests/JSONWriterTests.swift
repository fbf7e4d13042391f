import Testing
import WeirCore

/// `JSONWriter`: compact JSON text, RFC 8259 escaping, numbers that read back as what they were.
@Suite struct JSONWriterTests {
    func text(_ value: JSONValue) -> String { JSONWriter.string(value) }

    @Test func quotesAndBackslashes() {
        #expect(text("plain") == #""plain""#)
        #expect(text("") == #""""#)
        #expect(text("say \"hi\"") == #""say \"hi\"""#)
        #expect(text(#"C:\path\"#) == #""C:\\path\\""#)
        #expect(text(#"\""#) == #""\\\"""#)
        #expect(text("/") == #""/""#)  // the solidus needs no escape
    }

    @Test func namedControlEscapes() {
        #expect(text("a\nb") == #""a\nb""#)
        #expect(text("a\tb") == #""a\tb""#)
        #expect(text("a\rb") == #""a\rb""#)
        #expect(text("\u{08}\u{0C}") == #""\b\f""#)
    }

    @Test func otherControlCharactersAsUnicodeEscapes() {
        #expect(text("\u{00}") == #""\u0000""#)
        #expect(text("\u{01}") == #""\u0001""#)
        #expect(text("x\u{1F}y") == #""x\u001fy""#)
        #expect(text("\u{0B}") == #""\u000b""#)
        #expect(text("\u{1B}[0m") == #""\u001b[0m""#)
        // Every control character is escaped; nothing below 0x20 is written raw.
        for scalar in 0..<0x20 {
            let written = text(.string(String(UnicodeScalar(UInt8(scalar)))))
            #expect(written.utf8.allSatisfy { $0 >= 0x20 }, "U+\(scalar) written raw")
            #expect(written.hasPrefix("\"\\"))
        }
        // DEL is not a control character for JSON.
        #expect(text("\u{7F}") == "\"\u{7F}\"")
    }

    @Test func unicodePassesThrough() {
        #expect(text("Zoë") == "\"Zoë\"")
        #expect(text("日本語 🚀 é") == "\"日本語 🚀 é\"")
        #expect(text("\u{2028}\u{2029}") == "\"\u{2028}\u{2029}\"")
        #expect(Array(text("€").utf8) == [0x22, 0xE2, 0x82, 0xAC, 0x22])
    }

    @Test func longStringsWithEscapesInTheMiddle() {
        let long = String(repeating: "a", count: 1000) + "\"" + String(repeating: "b", count: 1000) + "\n"
        #expect(text(.string(long)) == "\"" + String(repeating: "a", count: 1000) + "\\\"" + String(repeating: "b", count: 1000) + "\\n\"")
    }

    /// The writer escapes a word (and a tail of 1 to 7 bytes) at a time: every length up to
    /// past a few words, with each byte that needs an escape at every position, agrees with a
    /// byte-by-byte escaper written here; so do strings past the 4,096-byte slices.
    @Test func escapingAgreesWithAByteByByteEscaperAtEveryLengthAndPosition() {
        func reference(_ bytes: [UInt8]) -> String {
            var out = "\""
            for b in bytes {
                switch b {
                case UInt8(ascii: "\""): out += "\\\""
                case UInt8(ascii: "\\"): out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                case 0x08: out += "\\b"
                case 0x0C: out += "\\f"
                case 0..<0x20: out += "\\u00" + (b < 16 ? "0" : "1") + String(b % 16, radix: 16)
                default: out += String(decoding: [b], as: UTF8.self)
                }
            }
            return out + "\""
        }
        func written(_ bytes: [UInt8]) -> String {
            var writer = JSONWriter(capacity: 8)
            bytes.withUnsafeBufferPointer { writer.writeString(utf8: $0) }
            return String(decoding: writer.bytes, as: UTF8.self)
        }
        var checked = 0
        for length in 0...40 {
            let plain = (0..<length).map { UInt8(ascii: "a") + UInt8($0 % 26) }
            #expect(written(plain) == reference(plain), "length \(length), nothing to escape")
            for position in 0..<length {
                for special: UInt8 in [0x00, 0x01, 0x0A, 0x1F, UInt8(ascii: "\""), UInt8(ascii: "\\")] {
                    var bytes = plain
                    bytes[position] = special
                    if written(bytes) != reference(bytes) {
                        Issue.record("length \(length), byte \(special) at \(position): \(written(bytes))")
                        return
                    }
                    checked += 1
                }
            }
        }
        // Bytes just outside the escaped range (0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80) pass as they are.
        let near: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x41, 0x42, 0x1F]
        #expect(written(near) == reference(near))
        let long = (0..<9_000).map { $0 % 997 == 0 ? UInt8(ascii: "\"") : UInt8(ascii: "x") }
        #expect(written(long) == reference(long))
        #expect(checked == 41 * 40 / 2 * 6 - 0)
    }

    @Test func integers() {
        #expect(text(0) == "0")
        #expect(text(7) == "7")
        #expect(text(10) == "10")
        #expect(text(-7) == "-7")
        #expect(text(1234567890) == "1234567890")
        #expect(text(.int(.max)) == "9223372036854775807")
        #expect(text(.int(.min)) == "-9223372036854775808")
    }

    @Test func doubles() {
        #expect(text(1000.0) == "1000.0")
        #expect(text(0.1) == "0.1")
        #expect(text(1e300) == "1e+300")
        #expect(text(-0.0) == "-0.0")
        #expect(text(0.0) == "0.0")
        #expect(text(1250.5) == "1250.5")
        #expect(text(-2.5) == "-2.5")
        #expect(text(.double(.nan)) == "null")
        #expect(text(.double(.infinity)) == "null")
        #expect(text(.double(-.infinity)) == "null")
    }

    /// Every double written reads back as the same double, and as a double (never an integer).
    @Test func doublesReadBack() {
        let values: [Double] = [
            1000, 0.1, 1e300, -1e300, 1e15, 1e16, 123_456_789_012_345, 999_999_999_999_999, 1.5e-7, .leastNonzeroMagnitude,
            .greatestFiniteMagnitude, 2.0 / 3.0, 9_007_199_254_740_992, -0.5, 100,
        ]
        for value in values {
            let written = text(.double(value))
            #expect(Double(written) == value, "\(value) written as \(written)")
            #expect(written.contains(".") || written.contains("e"), "\(value) written as \(written) reads back as an integer")
        }
    }

    @Test func containers() {
        #expect(text([]) == "[]")
        #expect(text([:]) == "{}")
        #expect(text([1, 2.5, "x", true, false, .null]) == #"[1,2.5,"x",true,false,null]"#)
        let nested: JSONValue = ["a": [1, ["b": "c"]], "d": [:], "e\"": "f\n"]
        #expect(text(nested) == #"{"a":[1,{"b":"c"}],"d":{},"e\"":"f\n"}"#)
        #expect(nested.description == text(nested))
    }

    @Test func writerAccumulates() {
        var writer = JSONWriter(capacity: 8)
        writer.write(1)
        writer.append(",")
        writer.writeString("x")
        writer.appendRaw(" é")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"1,"x" é"#)
    }
}

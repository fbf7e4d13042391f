import Foundation
import Testing
import WeirCore

@testable import WeirIngest

@Suite struct DeadLetterTests {
    @Test func fileContentIsExact() throws {
        let long = #"{"specversion":"1.0","id":"x","source":"/s","type":"t","data":{"pad":""#
            + String(repeating: "p", count: 40) + "\"}}"  // 113 bytes
        let input: [UInt8] = Array((good(1) + "\n" + "{\"id\":\"a\"\r\n" + "[1]\n").utf8)
            + Array(#"{"x":""#.utf8) + [0xFF, 0x41] + Array("\"}\n".utf8)
            + Array(#"{"specversion":"1.0","id":"q\"\\<\t>","source":"s","type":"t","id":7}"#.utf8) + [0x0A]
            + Array((long + "\r\n\n" + good(8)).utf8)
        let path = temporaryPath("dead.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let deadLetters = try DeadLetterWriter(path: path)
        let reader = EventReader(input: .bytes(input), limits: try! IngestLimits(maxLineBytes: 100), blockSize: 8)
        var lines: [Int] = []
        let stats = try reader.forEachEvent({ _, line in lines.append(line) }, rejected: { try deadLetters.write($0) })
        try deadLetters.close()
        #expect(lines == [1, 8])
        #expect(stats == IngestStats(lines: 8, events: 2, rejected: 5, bytes: input.count))
        #expect(deadLetters.count == 5)
        let expected = #"""
            {"line":2,"reason":"not valid JSON (the JSON document has an improper structure: missing or superfluous commas, braces, missing keys, etc.)","text":"{\"id\":\"a\""}
            {"line":3,"reason":"not a JSON object","text":"[1]"}
            {"line":4,"reason":"invalid UTF-8","text":"{\"x\":\"�A\"}","base64":"eyJ4Ijoi/0EifQ=="}
            {"line":5,"reason":"attribute 'id' must be a string","text":"{\"specversion\":\"1.0\",\"id\":\"q\\\"\\\\<\\t>\",\"source\":\"s\",\"type\":\"t\",\"id\":7}"}
            {"line":6,"reason":"line too long (113 bytes, limit 100)","text":"{\"specversion\":\"1.0\",\"id\":\"x\",\"source\":\"/s\",\"type\":\"t\",\"data\":{\"pad\":\"pppppppppppppppppppppppppppppp"}

            """#
        #expect(String(decoding: contents(of: path), as: UTF8.self) == expected)
    }

    @Test func escapingAndBase64() {
        func encode(_ text: [UInt8], reason: String = "r") -> String {
            var writer = JSONWriter()
            DeadLetterWriter.encode(RejectedLine(line: 9, reason: reason, text: text), into: &writer)
            return String(decoding: writer.bytes, as: UTF8.self)
        }
        #expect(encode(Array("a\"b\\c\u{1}\n".utf8), reason: "it's \"bad\"")
            == #"{"line":9,"reason":"it's \"bad\"","text":"a\"b\\c\u0001\n"}"# + "\n")
        #expect(encode([0x00]) == #"{"line":9,"reason":"r","text":"\u0000"}"# + "\n")
        #expect(encode([0xFF]) == #"{"line":9,"reason":"r","text":"�","base64":"/w=="}"# + "\n")
        #expect(encode([0xC3]) == #"{"line":9,"reason":"r","text":"�","base64":"ww=="}"# + "\n")
        #expect(encode([0xFF, 0xFE, 0xFD]) == #"{"line":9,"reason":"r","text":"���","base64":"//79"}"# + "\n")
        #expect(encode([]) == #"{"line":9,"reason":"r","text":""}"# + "\n")
    }

    @Test func base64MatchesFoundation() {
        for length in 0..<40 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 200) }
            var out: [UInt8] = []
            Base64.encode(bytes, into: &out)
            #expect(String(decoding: out, as: UTF8.self) == Data(bytes).base64EncodedString())
        }
    }

    @Test func rejectedLinesRoundTrip() throws {
        // Every record parses back as JSON and gives the original bytes.
        let lines: [[UInt8]] = [Array("plain".utf8), [0x00, 0x7F, 0x80, 0xFF], Array("é😀".utf8), [0xED, 0xA0, 0x80]]
        for text in lines {
            var writer = JSONWriter()
            DeadLetterWriter.encode(RejectedLine(line: 1, reason: "r", text: text), into: &writer)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(writer.bytes)) as? [String: Any])
            if let base64 = object["base64"] as? String {
                #expect(Data(base64Encoded: base64).map { [UInt8]($0) } == text)
            } else {
                #expect((object["text"] as? String).map { Array($0.utf8) } == text)
            }
        }
    }
}

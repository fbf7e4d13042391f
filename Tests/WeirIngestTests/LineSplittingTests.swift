import Testing
import WeirCore

@testable import WeirIngest

/// Line endings, blank lines, the last line, lines over the limit, and block boundaries.
@Suite struct LineSplittingTests {
    @Test func crlfLineEndings() {
        let input = good(1) + "\r\n" + good(2) + "\r\n" + "{\"id\":1}\r\n" + good(4)
        let outcome = read(input)
        #expect(outcome.eventIDs == ["e1", "e2", "e4"])
        #expect(outcome.eventLines == [1, 2, 4])
        #expect(outcome.rejected.map(\.text) == [Array("{\"id\":1}".utf8)])
        #expect(outcome.stats.lines == 4)
    }

    @Test func blankLinesAreSkippedButCounted() {
        let input = "\n" + good(2) + "\n\n   \n\t\r\n \r\n" + good(7) + "\n\n"
        let outcome = read(input)
        #expect(outcome.eventLines == [2, 7])
        #expect(outcome.rejected.isEmpty)
        #expect(outcome.stats == IngestStats(lines: 8, events: 2, rejected: 0, bytes: input.utf8.count))
    }

    @Test func formFeedIsNotBlank() {
        // Only JSON whitespace makes a line blank.
        let outcome = read(good(1) + "\n\u{0C}\n")
        #expect(outcome.rejected.map(\.line) == [2])
    }

    @Test func missingFinalNewline() {
        let outcome = read(good(1) + "\n" + good(2))
        #expect(outcome.eventLines == [1, 2])
        #expect(outcome.stats.lines == 2)
        let bad = read(good(1) + "\n" + "{\"id\"")
        #expect(bad.rejected.map(\.line) == [2])
        #expect(bad.rejected.first?.text == Array("{\"id\"".utf8))
    }

    @Test func byteOrderMarkAtTheStartIsSkipped() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        for blockSize in [1, 2, 3, 4, 1024] {
            let outcome = read(bom + Array((good(1) + "\n" + good(2)).utf8), blockSize: blockSize)
            #expect(outcome.eventLines == [1, 2], "block size \(blockSize)")
        }
        // Only at the start of the input.
        let later = read(Array((good(1) + "\n").utf8) + bom + Array(good(2).utf8))
        #expect(later.eventLines == [1])
        #expect(later.rejected.map(\.line) == [2])
    }

    @Test func emptyInput() {
        #expect(read("").stats == IngestStats())
        #expect(read("\n").stats == IngestStats(lines: 1, bytes: 1))
    }

    @Test(arguments: [1, 2, 3, 7, 64, 1 << 20])
    func anyBlockSizeGivesTheSameResult(_ blockSize: Int) {
        let lines = (1...50).map { $0 % 7 == 0 ? "{\"broken\"" : ($0 % 5 == 0 ? "" : good($0)) }
        let input = lines.joined(separator: "\n")
        let outcome = read(input, blockSize: blockSize)
        let expected = (1...50).filter { $0 % 7 != 0 && $0 % 5 != 0 }
        #expect(outcome.eventLines == expected)
        #expect(outcome.eventIDs == expected.map { "e\($0)" })
        #expect(outcome.rejected.map(\.line) == [7, 14, 21, 28, 35, 42, 49])
        // Line 50 is empty and has no newline: the input ends after line 49.
        #expect(outcome.stats == IngestStats(lines: 49, events: expected.count, rejected: 7, bytes: input.utf8.count))
    }

    static let small = try! IngestLimits(maxLineBytes: 200)

    @Test func lineAtTheLimitIsAccepted() {
        var line = #"{"specversion":"1.0","id":"e2","source":"/s","type":"t","pad":""#
        line += String(repeating: "x", count: 200 - line.utf8.count - 2) + "\"}"
        #expect(line.utf8.count == 200)
        let outcome = read(good(1) + "\n" + line + "\r\n" + good(3), limits: Self.small, blockSize: 16)
        #expect(outcome.eventLines == [1, 2, 3])
    }

    @Test func lineOverTheLimit() {
        let long = "{\"pad\":\"" + String(repeating: "y", count: 193) + "\"}"  // 203 bytes
        let input = good(1) + "\n" + long + "\n" + good(3) + "\n"
        let outcome = read(input, limits: Self.small)
        #expect(outcome.eventLines == [1, 3])
        #expect(outcome.rejections.map(\.0) == [2])
        #expect(outcome.rejections.map(\.1) == ["line too long (203 bytes, limit 200)"])
        #expect(outcome.rejected.first?.text == Array(long.utf8.prefix(200)))
        #expect(outcome.stats == IngestStats(lines: 3, events: 2, rejected: 1, bytes: input.utf8.count))
    }

    @Test(arguments: [16, 100, 199, 200, 201, 202, 4096])
    func longLineSpanningManyBlocks(_ blockSize: Int) {
        let long = String(repeating: "z", count: 5000)
        let input = good(1) + "\n" + long + "\r\n" + good(3) + "\n" + long + long + "\n\n" + good(6) + "\n" + long
        let outcome = read(input, limits: Self.small, blockSize: blockSize)
        #expect(outcome.eventLines == [1, 3, 6])
        #expect(outcome.rejections.map(\.0) == [2, 4, 7])
        #expect(outcome.rejections.map(\.1) == [
            "line too long (5000 bytes, limit 200)", "line too long (10000 bytes, limit 200)",
            "line too long (5000 bytes, limit 200)",
        ])
        #expect(outcome.rejected.allSatisfy { $0.text == Array(repeating: UInt8(ascii: "z"), count: 200) })
        #expect(outcome.stats == IngestStats(lines: 7, events: 3, rejected: 3, bytes: input.utf8.count))
    }

    @Test func memoryStaysBoundedByTheLimit() {
        let limits = try! IngestLimits(maxLineBytes: 1000)
        let blockSize = 256
        let input = Array(repeating: UInt8(ascii: "q"), count: 3_000_000) + Array(("\n" + good(2)).utf8)
        let reader = LineReader(input: .bytes(input), maxLineBytes: limits.lineBytes, blockSize: blockSize, padding: 64)
        var items = 0
        while true {
            if case .end = reader.next() { break }
            items += 1
            #expect(reader.bufferCapacity <= 1000 + 1 + blockSize)
        }
        #expect(items == 2)
        #expect(reader.bufferCapacity <= 1000 + 1 + blockSize)
    }

    @Test func longLineWithCarriageReturnAtTheLimit() {
        // 200 bytes of content and "\r\n": accepted as a 200-byte line whatever the block size.
        var line = #"{"specversion":"1.0","id":"e2","source":"/s","type":"t","pad":""#
        line += String(repeating: "x", count: 200 - line.utf8.count - 2) + "\"}"
        for blockSize in [1, 5, 64, 199, 200, 201, 202, 203] {
            let outcome = read(line + "\r\n" + line + "\r", limits: Self.small, blockSize: blockSize)
            #expect(outcome.eventLines == [1, 2], "block size \(blockSize)")
        }
    }
}

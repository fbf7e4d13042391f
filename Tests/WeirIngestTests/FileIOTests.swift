import Foundation
import Testing
import WeirCore

@testable import WeirIngest

@Suite struct FileIOTests {
    @Test func readsAFile() throws {
        let path = temporaryPath("events.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let text = (1...1000).map { $0 == 500 ? "junk" : good($0) }.joined(separator: "\n") + "\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let reader = try EventReader(path: path)
        var ids: [String] = []
        var rejected: [RejectedLine] = []
        let stats = reader.forEachEvent({ event, _ in ids.append(event.id) }, rejected: { rejected.append($0) })
        #expect(ids.count == 999)
        #expect(ids.first == "e1" && ids.last == "e1000")
        #expect(rejected.map(\.line) == [500])
        #expect(stats == IngestStats(lines: 1000, events: 999, rejected: 1, bytes: text.utf8.count))
        #expect(reader.readError == nil)
        // At the end, a second pass reads nothing.
        #expect(reader.forEachEvent({ _, _ in }, rejected: { _ in }) == IngestStats())
    }

    @Test func readsAPipe() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let text = (1...20000).map(good).joined(separator: "\n")
        let bytes = Array(text.utf8)
        let writeEnd = fds[1]
        let writer = Thread {
            bytes.withUnsafeBytes { try? SystemIO.writeAll(writeEnd, $0.baseAddress!, count: $0.count) }
            close(writeEnd)
        }
        writer.start()
        let reader = EventReader(fileDescriptor: fds[0])
        var count = 0
        let stats = reader.forEach({ view, line in
            count += 1
            #expect(line == count)
        }, rejected: { _ in })
        close(fds[0])
        #expect(count == 20000)
        #expect(stats.events == 20000 && stats.bytes == text.utf8.count)
    }

    @Test func missingFileThrows() {
        #expect {
            _ = try EventReader(path: "/nonexistent/weir/events.jsonl")
        } throws: { error in
            (error as? IngestIOError)?.description == "cannot open '/nonexistent/weir/events.jsonl': No such file or directory"
        }
    }

    @Test func directoryThrows() {
        #expect {
            _ = try EventReader(path: "/tmp")
        } throws: { error in
            (error as? IngestIOError)?.description == "cannot open '/tmp': Is a directory"
        }
    }

    @Test func outputBufferWritesEverythingInOrder() throws {
        let path = temporaryPath("out.bin")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let out = try OutputBuffer(path: path, capacity: 10)
        var expected: [UInt8] = []
        for i in 0..<300 {
            let chunk = Array(repeating: UInt8(truncatingIfNeeded: i), count: i % 23)
            try out.write(chunk)
            expected += chunk
        }
        try out.write("héllo")
        expected += Array("héllo".utf8)
        try out.flush()
        #expect(contents(of: path) == expected)
        try out.write([1, 2, 3])
        try out.close()
        #expect(contents(of: path) == expected + [1, 2, 3])
        #expect(throws: IngestIOError.self) { try out.write(Array(repeating: 0, count: 20)) }

        let appended = try OutputBuffer(path: path, append: true)
        try appended.write("!")
        try appended.close()
        #expect(contents(of: path) == expected + [1, 2, 3, UInt8(ascii: "!")])
    }

    @Test func outputBufferFlushesOnRelease() throws {
        let path = temporaryPath("released.txt")
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            let out = try OutputBuffer(path: path)
            try out.write("kept")
        }
        #expect(contents(of: path) == Array("kept".utf8))
    }

    @Test func outputBufferReportsWriteErrors() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        close(fds[0])
        signal(SIGPIPE, SIG_IGN)
        let out = OutputBuffer(fileDescriptor: fds[1])
        try out.write("x")
        #expect(throws: IngestIOError(operation: "write", path: nil, code: EPIPE)) { try out.flush() }
        close(fds[1])
    }
}

import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the built `weir` executable, which SwiftPM puts in the same products directory as the
/// test binary (whatever `--scratch-path` is).
enum WeirCLI {
    /// The `weir` executable next to this test binary, or nil (with the places looked at).
    static let located: (url: URL?, searched: [String]) = {
        var directories: [URL] = []
        // Linux: the test binary is `<products>/WeirPackageTests.xctest`.
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            directories.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        let argv0 = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        directories.append(argv0.deletingLastPathComponent())
        // macOS: `<products>/WeirPackageTests.xctest/Contents/MacOS/WeirPackageTests`.
        for candidate in [argv0] + directories {
            var url = candidate
            while url.pathComponents.count > 1 {
                if url.pathExtension == "xctest" {
                    directories.append(url.deletingLastPathComponent())
                    break
                }
                url.deleteLastPathComponent()
            }
        }
        for directory in directories {
            let weir = directory.appendingPathComponent("weir")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: weir.path, isDirectory: &isDirectory), !isDirectory.boolValue,
                FileManager.default.isExecutableFile(atPath: weir.path)
            {
                return (weir, directories.map(\.path))
            }
        }
        return (nil, directories.map(\.path))
    }()

    struct Output {
        var status: Int32
        var stdout: [UInt8]
        var stderr: [UInt8]
        var out: String { String(decoding: stdout, as: UTF8.self) }
        var err: String { String(decoding: stderr, as: UTF8.self) }
        /// Standard error's lines, without the empty string after a final newline.
        var errLines: [String] {
            var lines = err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            return lines
        }
        var outLines: [String] {
            var lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            return lines
        }
    }

    /// Thread-safe collection of what a pipe delivered.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ d: Data) { lock.withLock { data = d } }
        var bytes: [UInt8] { lock.withLock { [UInt8](data) } }
    }

    static let ignoreSIGPIPE: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// Runs `weir` (or `executable`) with `arguments`, feeding `stdin` (or nothing: /dev/null), and waits at most
    /// `timeout` seconds for it to exit (a hang guard: it records an issue and kills it).
    static func run(
        _ arguments: [String], stdin: [UInt8]? = nil, timeout: Double = 120,
        executable: URL? = nil, environment: [String: String] = [:],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> Output {
        _ = ignoreSIGPIPE
        let weir = try #require(
            located.url,
            "the weir executable was not found next to the test binary; looked in \(located.searched)",
            sourceLocation: sourceLocation)
        let process = Process()
        process.executableURL = executable ?? weir
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        let inPipe: Pipe? = stdin == nil ? nil : Pipe()
        process.standardInput = inPipe ?? FileHandle.nullDevice

        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()

        let group = DispatchGroup()
        let out = Collected()
        let err = Collected()
        let outReader = outPipe.fileHandleForReading
        let errReader = errPipe.fileHandleForReading
        DispatchQueue.global().async(group: group) { out.set(outReader.readDataToEndOfFile()) }
        DispatchQueue.global().async(group: group) { err.set(errReader.readDataToEndOfFile()) }
        if let inPipe, let stdin {
            let writer = inPipe.fileHandleForWriting
            let data = Data(stdin)
            DispatchQueue.global().async(group: group) {
                try? writer.write(contentsOf: data)
                try? writer.close()
            }
        }
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            Issue.record("weir \(arguments) did not exit within \(timeout) s; killed", sourceLocation: sourceLocation)
            exited.wait()
        }
        group.wait()
        return Output(status: process.terminationStatus, stdout: out.bytes, stderr: err.bytes)
    }
}

/// A temporary directory for one test, removed at the end.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("weir-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `bytes` to `name` and returns its path.
    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let p = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: p))
        return p
    }

    func file(_ name: String, _ text: String) throws -> String { try file(name, Array(text.utf8)) }
}

extension WeirCLI {
    /// Runs a bash script in which `$WEIR` is the weir executable: for redirections (`< file`,
    /// `> file`, `2>/dev/full`, `| head -1`) that only a shell sets up as a user's would be.
    static func shell(_ script: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Output {
        let weir = try #require(located.url, "the weir executable was not found", sourceLocation: sourceLocation)
        return try run(["-c", script], executable: URL(fileURLWithPath: "/bin/bash"), environment: ["WEIR": weir.path],
                       sourceLocation: sourceLocation)
    }
}

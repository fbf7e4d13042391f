#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which file a path or descriptor is (device and inode), so that an output can be refused
/// when it is the very file being read: opening it for writing would empty it first.
///
/// ```swift
/// try FileIdentity.checkOutputs(["rejected.jsonl"], input: "events.jsonl")
/// ```
public struct FileIdentity: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
    /// Whether it is a regular file (pipes, terminals and devices may be shared harmlessly).
    let isRegularFile: Bool

    /// The file `path` names, following symbolic links; nil when there is none yet.
    public init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The file open on descriptor `fd` (0 for standard input); nil when it is not open.
    public init?(fileDescriptor fd: Int32) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        self.init(info)
    }

    private init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        isRegularFile = (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Refuses output paths that name an input file (the events, or a rule file), the same file
    /// as another output, or the regular file standard output or standard error is redirected
    /// to. Nothing is opened.
    ///
    /// - Parameters:
    ///   - outputs: each output option's name (`--dead-letter`) and path.
    ///   - input: the events' path, or nil for standard input.
    ///   - rules: other files read (rule files).
    /// - Throws: `OutputConflict` naming the first clash.
    public static func checkOutputs(
        _ outputs: [(option: String, path: String)], input: String?, rules: [String] = []
    ) throws(OutputConflict) {
        let inputIdentity = input.map { FileIdentity(path: $0) } ?? FileIdentity(fileDescriptor: 0)
        var seen: [FileIdentity: String] = [:]
        for path in rules {
            if let identity = FileIdentity(path: path) { seen[identity] = "the rule file '\(path)'" }
        }
        if let out = FileIdentity(fileDescriptor: 1), out.isRegularFile { seen[out] = "standard output" }
        if let err = FileIdentity(fileDescriptor: 2), err.isRegularFile, seen[err] == nil { seen[err] = "standard error" }
        for (option, path) in outputs {
            guard let identity = FileIdentity(path: path) else { continue }
            if let inputIdentity, identity == inputIdentity {
                throw OutputConflict(option: option, path: path, other: input.map { "the input '\($0)'" } ?? "standard input")
            }
            if let other = seen[identity], identity.isRegularFile || other.hasPrefix("the rule file") {
                throw OutputConflict(option: option, path: path, other: other)
            }
            seen[identity] = "\(option) '\(path)'"
        }
    }
}

/// An output that would overwrite an input or share its file with another output.
public struct OutputConflict: Error, Sendable, Hashable, CustomStringConvertible {
    /// The option naming the output (`--dead-letter`).
    public let option: String
    /// The path given to it.
    public let path: String
    /// What it clashes with: `the input 'events.jsonl'`, `standard input`, `--output 'x'` ...
    public let other: String

    public var description: String {
        "\(option) '\(path)' is the same file as \(other); refusing to overwrite it"
    }
}

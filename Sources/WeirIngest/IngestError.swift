#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WeirCore

/// Why a line of input (or a JSON text given to `EventReader.parseEvent`) is not a valid event.
///
/// The `description` is the reason reported for the line, e.g. `nested too deeply (limit 64)`.
public enum IngestFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not JSON (or more than one JSON value); the detail is the parser's own message.
    case invalidJSON(String)
    /// The bytes are not valid UTF-8.
    case invalidUTF8
    /// Valid JSON, but not an object (an array, a string, a number ...).
    case notAnObject
    /// Arrays and objects nested deeper than the limit.
    case tooDeep(limit: Int)
    /// A line longer than the limit; `bytes` is its whole length.
    case tooLong(bytes: Int, limit: Int)
    /// A JSON object that is not a valid CloudEvent (a required attribute missing or wrong).
    case invalidEvent(EventError)
    /// The parser could not allocate memory for the document.
    case outOfMemory

    public var description: String {
        switch self {
        case .invalidJSON(let detail): return "not valid JSON (\(IngestFailure.lowercasingFirst(detail)))"
        case .invalidUTF8: return "invalid UTF-8"
        case .notAnObject: return EventError.notAnObject.description
        case .tooDeep(let limit): return "nested too deeply (limit \(limit))"
        case .tooLong(let bytes, let limit): return "line too long (\(bytes) bytes, limit \(limit))"
        case .invalidEvent(let error): return error.description
        case .outOfMemory: return "out of memory"
        }
    }

    /// "The JSON document ..." → "the JSON document ...", but "JSON ..." stays.
    private static func lowercasingFirst(_ text: String) -> String {
        let bytes = Array(text.utf8.prefix(2))
        let upper = UInt8(ascii: "A")...UInt8(ascii: "Z")
        guard bytes.count == 2, upper.contains(bytes[0]), !upper.contains(bytes[1]) else { return text }
        return String(UnicodeScalar(bytes[0] + 32)) + String(decoding: text.utf8.dropFirst(), as: UTF8.self)
    }
}

/// A failure of the operating system to open, read or write a file.
public struct IngestIOError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was attempted: `open`, `read` or `write`.
    public let operation: String
    /// The file, when known (nil for a file descriptor given by the caller).
    public let path: String?
    /// The `errno` value.
    public let code: Int32

    public init(operation: String, path: String?, code: Int32) {
        self.operation = operation
        self.path = path
        self.code = code
    }

    public var description: String {
        let what = path.map { "cannot \(operation) '\($0)'" } ?? "cannot \(operation)"
        return "\(what): \(String(cString: strerror(code)))"
    }
}

/// Why an event's `time` attribute cannot be read as its event time. (An absent or `null`
/// `time` is not an error: the event has no event time.)
public enum EventTimeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `time` is present but not a string.
    case notAString
    /// `time` is a string that is not an RFC 3339 timestamp (the text, as written).
    case notRFC3339(String)

    public var description: String {
        switch self {
        case .notAString: return "attribute 'time' must be a string (an RFC 3339 timestamp)"
        case .notRFC3339(let text): return "attribute 'time' is not an RFC 3339 timestamp: '\(text)'"
        }
    }
}

enum EventTime {
    /// Milliseconds since the epoch of RFC 3339 text (rounded toward negative infinity).
    /// - Throws: `EventTimeError.notRFC3339` when it is not RFC 3339 text.
    @inline(__always)
    static func milliseconds(_ text: UnsafeBufferPointer<UInt8>) throws(EventTimeError) -> Int64 {
        guard let timestamp = Timestamp.parse(text) else {
            throw .notRFC3339(String(decoding: text, as: UTF8.self))
        }
        return timestamp.milliseconds
    }
}

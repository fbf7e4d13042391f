/// A CloudEvent 1.0 in Swift's owned form: the required attributes, every other top-level
/// attribute in document order, and the `data` payload.
///
/// ```swift
/// let event = try Event(json: [
///     "specversion": "1.0", "id": "e1", "source": "/shop", "type": "order.created",
///     "data": ["totalAmount": 1250.5],
/// ])
/// event.type                  // "order.created"
/// event.data?["totalAmount"]  // .double(1250.5)
/// ```
public struct Event: Sendable, Hashable {
    public var specversion: String
    public var id: String
    public var source: String
    public var type: String
    /// Optional and extension attributes (`time`, `subject`, `correlationid`, ...) in document order.
    /// A JSON `null` attribute is absent, so it is never stored.
    public var attributes: JSONObject
    /// The payload, or nil when the event has none (or a JSON `null`).
    public var data: JSONValue?

    public init(
        id: String, source: String, type: String, specversion: String = "1.0",
        attributes: JSONObject = JSONObject(), data: JSONValue? = nil
    ) {
        self.specversion = specversion
        self.id = id
        self.source = source
        self.type = type
        self.attributes = attributes
        self.data = data == .null ? nil : data
    }

    /// Builds an event from a JSON object in CloudEvents structured mode, checking the required attributes.
    public init(json: JSONValue) throws(EventError) {
        guard case .object(let object) = json else { throw .notAnObject }
        var required: [String?] = [nil, nil, nil, nil]
        var attributes = JSONObject()
        var data: JSONValue?
        for (key, value) in object.fields {
            if let slot = Event.requiredNames.firstIndex(of: key) {
                guard case .string(let text) = value else {
                    if value == .null { continue }
                    throw .invalidAttribute(key, "must be a string")
                }
                required[slot] = text
            } else if key == "data" {
                data = value == .null ? nil : value
            } else if value != .null {
                attributes.appendUnchecked(key, value)
            }
        }
        for (slot, name) in Event.requiredNames.enumerated() {
            guard let text = required[slot] else { throw .missingAttribute(name) }
            if text.isEmpty { throw .invalidAttribute(name, "must not be empty") }
        }
        if required[0] != "1.0" { throw .unsupportedSpecVersion(required[0]!) }
        self.init(
            id: required[1]!, source: required[2]!, type: required[3]!, specversion: required[0]!,
            attributes: attributes, data: data)
    }

    /// The names of the attributes every CloudEvent must have, in the order CloudEvents lists them.
    public static let requiredNames = ["specversion", "id", "source", "type"]

    /// The event time (`time`) as written, when present.
    public var time: String? {
        if case .string(let text) = attributes["time"] { return text }
        return nil
    }

    /// A top-level attribute by name (required, optional or extension); `data` is not an attribute.
    public subscript(attribute name: String) -> JSONValue? {
        switch name {
        case "specversion": return .string(specversion)
        case "id": return .string(id)
        case "source": return .string(source)
        case "type": return .string(type)
        default: return attributes[name]
        }
    }

    /// The event as one line of compact JSON (structured mode), required attributes first.
    public var jsonText: String {
        var writer = JSONWriter(capacity: 256)
        write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    public func write(to writer: inout JSONWriter) {
        writer.append("{\"specversion\":")
        writer.writeString(specversion)
        writer.append(",\"id\":")
        writer.writeString(id)
        writer.append(",\"source\":")
        writer.writeString(source)
        writer.append(",\"type\":")
        writer.writeString(type)
        for (key, value) in attributes.fields {
            writer.bytes.append(UInt8(ascii: ","))
            writer.writeString(key)
            writer.bytes.append(UInt8(ascii: ":"))
            writer.write(value)
        }
        if let data {
            writer.append(",\"data\":")
            writer.write(data)
        }
        writer.bytes.append(UInt8(ascii: "}"))
    }
}

/// Why a JSON value is not a valid CloudEvent.
public enum EventError: Error, Sendable, Hashable, CustomStringConvertible {
    case notAnObject
    case missingAttribute(String)
    case invalidAttribute(String, String)
    case unsupportedSpecVersion(String)

    public var description: String {
        switch self {
        case .notAnObject: return "not a JSON object"
        case .missingAttribute(let name): return "missing required attribute '\(name)'"
        case .invalidAttribute(let name, let why): return "attribute '\(name)' \(why)"
        case .unsupportedSpecVersion(let v): return "unsupported specversion '\(v)' (expected '1.0')"
        }
    }
}

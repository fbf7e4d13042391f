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
    /// Every top-level member in the packed form: the four required attributes first
    /// (`specversion`, `id`, `source`, `type`), then the optional and extension attributes in
    /// document order, then `data` when the event has a payload. One allocation per event.
    package private(set) var packed: PackedJSON
    /// Offset of the payload in `packed`, or -1 when the event has none.
    package private(set) var dataOffset: Int
    /// What is read of `type` and `time` on every event, captured once when the event is made.
    private var captured: Captured

    /// Offsets of `type`'s and `time`'s values in `packed`, and the event time, found in one
    /// pass over the top-level fields when the event is made (so reading them never searches).
    struct Captured: Sendable, Hashable {
        /// Offset of `type`'s value (the fourth field: the required attributes are packed first);
        /// -2 when beyond `Int32` (then looked up).
        var typeOffset: Int32 = -2
        /// Offset of `time`'s value; -1 when absent, -2 when beyond `Int32` (then looked up).
        var timeOffset: Int32 = -1
        /// The event time in milliseconds, when `time` is RFC 3339 text.
        var milliseconds: Int64?

        init(typeOffset: Int, timeOffset: Int, milliseconds: Int64?) {
            self.typeOffset = Int32(exactly: typeOffset) ?? -2
            self.timeOffset = timeOffset < 0 ? -1 : Int32(exactly: timeOffset) ?? -2
            self.milliseconds = milliseconds
        }

        init(_ packed: PackedJSON) {
            var n = 0
            var offset: Int?
            let key: StaticString = "time"
            let time = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
            packed.forEachField(PackedJSON.root) { name, i in
                n += 1
                if n == 4 { typeOffset = Int32(exactly: i) ?? -2 }
                if n > 4 && name.equals(time) { offset = i }
            }
            guard let offset else { return }
            timeOffset = Int32(exactly: offset) ?? -2
            if packed.tag(offset) == .string { milliseconds = try? EventTime.milliseconds(packed.string(offset).buffer) }
        }
    }

    /// An event from Swift values, checked as ingest checks a JSON event: the required
    /// attributes must not be empty, `specversion` must be "1.0", and every attribute name must
    /// be a CloudEvents name (lower-case letters and digits). A `data` or required name among
    /// `attributes` is ignored, and a JSON `null` attribute is absent.
    /// - Throws: `EventError` naming the first problem.
    public init(
        id: String, source: String, type: String, specversion: String = "1.0",
        attributes: JSONObject = JSONObject(), data: JSONValue? = nil
    ) throws(EventError) {
        let required = [specversion, id, source, type]
        try Event.validate(required: required, names: attributes.keys)
        let (packed, dataOffset) = Event.pack(required, attributes: attributes, data: data)
        self.init(packed: packed, dataOffset: dataOffset)
    }

    /// The checks of `init(id:source:type:specversion:attributes:data:)`, in the order ingest
    /// makes them (after the required attributes' presence and types, which Swift's types ensure).
    static func validate(required: [String], names: [String]) throws(EventError) {
        for (slot, name) in Event.requiredNames.enumerated() where required[slot].isEmpty {
            throw .invalidAttribute(name, "must not be empty")
        }
        if required[0] != "1.0" { throw .unsupportedSpecVersion(required[0]) }
        if let bad = names.first(where: { !Event.isAttributeName($0) }) { throw .invalidAttributeName(bad) }
    }

    /// Whether `name` is a CloudEvents attribute name: lower-case letters a-z and digits 0-9, not
    /// empty. (`data` and the JSON format's `data_base64` are accepted as member names too.)
    public static func isAttributeName(_ name: String) -> Bool {
        !name.utf8.isEmpty
            && (name.utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) }
                || name == "data_base64")
    }

    /// An event already packed in the layout above (by the ingest path).
    package init(packed: PackedJSON, dataOffset: Int) {
        self.packed = packed
        self.dataOffset = dataOffset
        captured = Captured(packed)
    }

    /// An event packed in the layout above by a caller that knows, as it packed, where `type`'s
    /// and `time`'s values are and the event time (the engine, for the events it emits): nothing
    /// is searched. The caller guarantees the layout and that the event is valid.
    package init(packed: PackedJSON, dataOffset: Int, typeOffset: Int, timeOffset: Int, milliseconds: Int64?) {
        self.packed = packed
        self.dataOffset = dataOffset
        captured = Captured(typeOffset: typeOffset, timeOffset: timeOffset, milliseconds: milliseconds)
    }

    static func pack(_ required: [String], attributes: JSONObject, data: JSONValue?) -> (PackedJSON, Int) {
        var builder = PackedBuilder()
        let mark = builder.begin(object: true)
        var count = 0
        for (key, value) in zip(Event.requiredNames, required) {
            builder.append(key)
            builder.append(value)
            count += 1
        }
        for (key, value) in attributes.fields
        where value != .null && key != "data" && !Event.requiredNames.contains(key) {
            builder.append(key)
            builder.append(value)
            count += 1
        }
        var dataOffset = -1
        if let data, data != .null {
            builder.append("data")
            dataOffset = builder.words.count
            builder.append(data)
            count += 1
        }
        builder.end(mark, count: count)
        return (PackedJSON(builder: builder), dataOffset)
    }

    /// The required attribute at position `slot` of `requiredNames` (they are packed first).
    func required(_ slot: Int) -> String {
        let k = offsetOfRequired(slot)
        return packed.tag(k) == .string ? packed.string(k).string : ""
    }

    /// The offset of the value of the required attribute at position `slot` of `requiredNames`.
    private func offsetOfRequired(_ slot: Int) -> Int {
        var k = PackedJSON.root + 2
        for _ in 0..<slot {
            k += packed.size(k)
            k += packed.size(k)
        }
        return k + packed.size(k)
    }

    /// The four required attributes, in `requiredNames` order.
    var requiredValues: [String] { (0..<4).map { required($0) } }

    /// Sets (or, with nil or `.null`, removes) a top-level attribute, checked as the initialiser
    /// checks: a required attribute must be a non-empty string (and `specversion` "1.0") and
    /// cannot be removed; another attribute needs a CloudEvents name. (`data` is set through `data`.)
    /// - Throws: `EventError`; the event is unchanged.
    public mutating func setAttribute(_ name: String, _ value: JSONValue?) throws(EventError) {
        var required = requiredValues
        var attributes = attributes
        if let slot = Event.requiredNames.firstIndex(of: name) {
            guard let value, value != .null else { throw .missingAttribute(name) }
            guard case .string(let text) = value else { throw .invalidAttribute(name, "must be a string") }
            required[slot] = text
        } else if name == "data" {
            throw .invalidAttribute(name, "is the payload: set 'data' instead")
        } else {
            guard Event.isAttributeName(name) else { throw .invalidAttributeName(name) }
            attributes[name] = value == .null ? nil : value
        }
        try Event.validate(required: required, names: attributes.keys)
        let (packed, dataOffset) = Event.pack(required, attributes: attributes, data: data)
        self = Event(packed: packed, dataOffset: dataOffset)
    }

    public var specversion: String { required(0) }
    public var id: String { required(1) }
    public var source: String { required(2) }
    /// The event's type (read where it was found when the event was made: no search).
    public var type: String { typeBytes.string }

    /// The bytes of `type` (valid while this event is alive), for dispatch by type without a `String`.
    package var typeBytes: RawString {
        let i = captured.typeOffset >= 0 ? Int(captured.typeOffset) : offsetOfRequired(3)
        guard packed.tag(i) == .string else {
            let empty: StaticString = ""
            return RawString(base: empty.utf8Start, count: 0)
        }
        return packed.string(i)
    }

    /// Optional and extension attributes (`time`, `subject`, `correlationid`, ...) in document
    /// order (set them with `setAttribute(_:_:)`). A JSON `null` attribute is absent, so it is
    /// never stored.
    public var attributes: JSONObject {
        var object = JSONObject()
        var n = 0
        packed.forEachField(PackedJSON.root) { key, offset in
            n += 1
            if n > 4 && offset != dataOffset { object.appendUnchecked(key.string, packed.decode(offset)) }
        }
        return object
    }

    /// The payload, or nil when the event has none (or a JSON `null`).
    public var data: JSONValue? {
        get { dataOffset < 0 ? nil : packed.decode(dataOffset) }
        set {
            let (packed, dataOffset) = Event.pack(requiredValues, attributes: attributes, data: newValue)
            self = Event(packed: packed, dataOffset: dataOffset)
        }
    }

    /// Builds an event from a JSON object in CloudEvents structured mode, checking the required attributes.
    public init(json: JSONValue) throws(EventError) {
        guard case .object(let object) = json else { throw .notAnObject }
        var required: [String?] = [nil, nil, nil, nil]
        var badName: String?
        var attributes = JSONObject()
        var data: JSONValue?
        for (key, value) in object.fields {
            if badName == nil && key != "data" && !Event.isAttributeName(key) { badName = key }
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
        if let badName { throw .invalidAttributeName(badName) }
        try self.init(
            id: required[1]!, source: required[2]!, type: required[3]!, specversion: required[0]!,
            attributes: attributes, data: data)
    }

    /// The names of the attributes every CloudEvent must have, in the order CloudEvents lists them.
    public static let requiredNames = ["specversion", "id", "source", "type"]

    /// The event time (`time`) as written, when present (a string). Found when the event was
    /// made: reading it only copies the text (see `eventTimeMilliseconds()` for the instant).
    public var time: String? {
        guard let i = timeOffset, packed.tag(i) == .string else { return nil }
        return packed.string(i).string
    }

    /// The offset of `time`'s value in `packed`, when present.
    private var timeOffset: Int? {
        switch captured.timeOffset {
        case -1: return nil
        case -2:
            let key: StaticString = "time"
            return packed.field(PackedJSON.root, UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        case let offset: return Int(offset)
        }
    }

    /// The event time: `time` read as RFC 3339, in milliseconds since 1970-01-01T00:00:00Z
    /// (rounded toward negative infinity); nil when the event has no `time`. Parsed once, when
    /// the event was made: reading it costs no parse and no allocation.
    ///
    /// ```swift
    /// let event = try Event(id: "1", source: "/s", type: "t", attributes: ["time": "2026-01-01T10:00:00.250Z"])
    /// try event.eventTimeMilliseconds()   // 1767261600250
    /// ```
    /// - Throws: `EventTimeError` when `time` is present but not a string, or not RFC 3339 text.
    public func eventTimeMilliseconds() throws(EventTimeError) -> Int64? {
        if let milliseconds = captured.milliseconds { return milliseconds }
        guard let i = timeOffset else { return nil }
        guard packed.tag(i) == .string else { throw .notAString }
        return try EventTime.milliseconds(packed.string(i).buffer)
    }

    /// A top-level attribute by name (required, optional or extension); `data` is not an attribute.
    public subscript(attribute name: String) -> JSONValue? {
        switch name {
        case "data": return nil
        default:
            guard let i = name.withUTF8Bytes({ packed.field(PackedJSON.root, $0) }) else { return nil }
            let value = packed.decode(i)
            return value == .null ? nil : value
        }
    }

    /// The event as one line of compact JSON (structured mode), required attributes first.
    public var jsonText: String {
        var writer = JSONWriter(capacity: 256)
        write(to: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    public func write(to writer: inout JSONWriter) {
        writer.write(packed: packed, at: PackedJSON.root)
    }
}

/// Why a JSON value is not a valid CloudEvent.
public enum EventError: Error, Sendable, Hashable, CustomStringConvertible {
    case notAnObject
    case missingAttribute(String)
    case invalidAttribute(String, String)
    case unsupportedSpecVersion(String)
    /// A member name that is not a CloudEvents attribute name (lower-case letters a-z and digits).
    case invalidAttributeName(String)

    public var description: String {
        switch self {
        case .notAnObject: return "not a JSON object"
        case .missingAttribute(let name): return "missing required attribute '\(name)'"
        case .invalidAttribute(let name, let why): return "attribute '\(name)' \(why)"
        case .unsupportedSpecVersion(let v): return "unsupported specversion '\(v)' (expected '1.0')"
        case .invalidAttributeName(let name):
            return "invalid attribute name '\(name)' (CloudEvents attribute names are lower-case letters a-z and digits)"
        }
    }
}

import CSimdJSON

/// The attributes an engine reads of every input document before deciding anything (its type,
/// for dispatch; its event time), read from what the ingest check already found: no search,
/// no allocation, no packing.
extension DocumentView {
    /// The keys the ingest check looks up in one pass over a document's top-level fields, in
    /// the order of `checked`: the required attributes (in `Event.requiredNames` order), the
    /// payload, the event time and the correlation id (what every derived event carries over).
    package static let checkedKeys: [StaticString] = ["specversion", "id", "source", "type", "data", "time", "correlationid"]
    /// Positions in `checkedKeys`.
    package static let idSlot = 1
    package static let typeSlot = 3
    package static let dataSlot = 4
    package static let timeSlot = 5
    package static let correlationIdSlot = 6

    /// What the check found of `checkedKeys[slot]`: its kind (-1 when absent) and value, and its
    /// bytes when it is a string. Looked up when the view was made without a check.
    @inline(__always)
    func attribute(_ slot: Int) -> (kind: Int32, value: weir_elem, string: RawString) {
        if let checked {
            let field = checked[slot]
            let bytes = UnsafeRawPointer(field.string!).assumingMemoryBound(to: UInt8.self)
            return (field.kind, field.value, RawString(base: bytes, count: field.string_len))
        }
        let key = DocumentView.checkedKeys[slot]
        var value = weir_elem()
        let found = weir_elem_field(
            root, UnsafeRawPointer(key.utf8Start).assumingMemoryBound(to: CChar.self), key.utf8CodeUnitCount, &value)
        var length = 0
        let text = weir_elem_string(value, &length)!
        return (found ? weir_elem_kind(value) : -1, value,
                RawString(base: UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), count: length))
    }

    /// The bytes of `type`, for dispatch by type (valid as long as the view; a checked document's
    /// `type` is a non-empty string).
    @inline(__always)
    package var typeBytes: RawString { attribute(DocumentView.typeSlot).string }

    /// The bytes of `id` when it is a string (valid as long as the view); nil otherwise.
    @inline(__always)
    package var idBytes: RawString? {
        let id = attribute(DocumentView.idSlot)
        return id.kind == Int32(WEIR_JSON_STRING) ? id.string : nil
    }

    /// The bytes of `correlationid` when it is a string (valid as long as the view); nil otherwise.
    @inline(__always)
    package var correlationIdBytes: RawString? {
        let correlation = attribute(DocumentView.correlationIdSlot)
        return correlation.kind == Int32(WEIR_JSON_STRING) ? correlation.string : nil
    }

    /// `type` as a `String` (which allocates when it is longer than 15 bytes: prefer `typeBytes`).
    package var type: String { typeBytes.string }

    /// The bytes of `time` when it is a string (valid as long as the view); nil when absent or not a string.
    package var timeBytes: RawString? {
        let time = attribute(DocumentView.timeSlot)
        return time.kind == Int32(WEIR_JSON_STRING) ? time.string : nil
    }

    /// The event time: `time` read as RFC 3339, in milliseconds since 1970-01-01T00:00:00Z
    /// (rounded toward negative infinity); nil when the document has no `time` (or a JSON
    /// `null`). No allocation unless it throws.
    /// - Throws: `EventTimeError` when `time` is present but not a string, or not RFC 3339 text:
    ///   the engine decides whether to dead-letter such an event or count it.
    package func eventTimeMilliseconds() throws(EventTimeError) -> Int64? {
        let time = attribute(DocumentView.timeSlot)
        switch time.kind {
        case -1, Int32(WEIR_JSON_NULL): return nil
        case Int32(WEIR_JSON_STRING): return try EventTime.milliseconds(time.string.buffer)
        default: throw .notAString
        }
    }
}

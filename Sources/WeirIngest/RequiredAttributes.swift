import CSimdJSON
import WeirCore

/// The check of CloudEvents' required attributes on a parsed document: one call into the parser
/// (one pass over the top-level fields) and no allocation when the event is valid.
///
/// It gives the same verdict and reason as `Event(json:)` on the same document: a repeated key
/// counts by its last value, and when several attributes are wrong the reason names the first
/// wrong type in document order, then the first missing, then the first empty attribute (in
/// the order `specversion`, `id`, `source`, `type`), then an unsupported `specversion`, then the
/// first member name (in document order) that is not a CloudEvents attribute name.
final class RequiredAttributes {
    /// The keys, in the order of `Event.requiredNames` (their slots).
    /// The required attributes, then `data` and `time`, found in the same pass so that evaluation
    /// can start its paths into the payload without looking it up again, and an engine can read
    /// a document's type and event time without a search (`DocumentView.checkedKeys`).
    private static let keys = DocumentView.checkedKeys
    /// Lookup scratch space for `weir_elem_fields`, allocated once.
    private let fields: UnsafeMutablePointer<weir_field>
    /// The first member name of the last checked object that is not an attribute name, if any.
    private var badKey: UnsafePointer<CChar>?
    private var badKeyLength = 0

    init() {
        fields = .allocate(capacity: RequiredAttributes.keys.count)
        for (slot, key) in RequiredAttributes.keys.enumerated() {
            (fields + slot).initialize(
                to: weir_field(
                    key: UnsafeRawPointer(key.utf8Start).assumingMemoryBound(to: CChar.self),
                    key_len: key.utf8CodeUnitCount, kind: -1, value: weir_elem(), string: nil, string_len: 0,
                    position: 0))
        }
    }

    deinit { fields.deallocate() }

    /// Checks that `root` is an object holding the required attributes.
    @inline(__always)
    func check(_ root: weir_elem) throws(IngestFailure) {
        guard weir_elem_fields_checked(root, fields, RequiredAttributes.keys.count, &badKey, &badKeyLength) else {
            throw .notAnObject
        }
        let string = Int32(WEIR_JSON_STRING)
        if fields[0].kind == string && fields[1].kind == string && fields[2].kind == string && fields[3].kind == string
            && fields[1].string_len > 0 && fields[2].string_len > 0 && fields[3].string_len > 0
            && fields[0].string_len == 3 && isVersionOne(fields[0].string) && badKey == nil
        {
            return
        }
        throw failure()
    }

    /// What the last check found, key by key (`DocumentView.checked`): valid until the next check.
    var found: UnsafePointer<weir_field> { UnsafePointer(fields) }

    /// The payload of the document just checked, when it has one (not absent, not `null`).
    @inline(__always)
    var data: weir_elem? {
        fields[DocumentView.dataSlot].kind > Int32(WEIR_JSON_NULL) ? fields[DocumentView.dataSlot].value : nil
    }

    @inline(__always)
    private func isVersionOne(_ text: UnsafePointer<CChar>?) -> Bool {
        guard let text else { return false }
        return text[0] == 0x31 && text[1] == 0x2E && text[2] == 0x30  // "1.0"
    }

    /// The reason the last checked object failed (the slow path: it may allocate).
    private func failure() -> IngestFailure {
        let names = Event.requiredNames
        let string = Int32(WEIR_JSON_STRING)
        let null = Int32(WEIR_JSON_NULL)
        let slots = 0..<Event.requiredNames.count
        let wrongType = slots.filter { fields[$0].kind >= 0 && fields[$0].kind != null && fields[$0].kind != string }
        if let slot = wrongType.min(by: { fields[$0].position < fields[$1].position }) {
            return .invalidEvent(.invalidAttribute(names[slot], "must be a string"))
        }
        if let slot = slots.first(where: { fields[$0].kind != string }) {
            return .invalidEvent(.missingAttribute(names[slot]))
        }
        if let slot = slots.first(where: { fields[$0].string_len == 0 }) {
            return .invalidEvent(.invalidAttribute(names[slot], "must not be empty"))
        }
        let version = UnsafeRawBufferPointer(start: fields[0].string, count: fields[0].string_len)
        if fields[0].string_len != 3 || !isVersionOne(fields[0].string) {
            return .invalidEvent(.unsupportedSpecVersion(String(decoding: version, as: UTF8.self)))
        }
        let key = UnsafeRawBufferPointer(start: badKey, count: badKeyLength)
        return .invalidEvent(.invalidAttributeName(String(decoding: key, as: UTF8.self)))
    }

    /// Which required attribute a key names (0...3), if any: a length switch, then one or two
    /// word compares (the key is followed by a NUL, so no load reaches past it).
    @inline(__always)
    static func slot(_ key: UnsafeRawPointer, _ length: Int) -> Int? {
        switch length {
        case 2:  // "id"
            return key.loadUnaligned(as: UInt16.self) == UInt16(littleEndian: 0x6469) ? 1 : nil
        case 4:  // "type"
            return key.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x6570_7974) ? 3 : nil
        case 6:  // "source": "sour" + "ce"
            return key.loadUnaligned(as: UInt32.self) == UInt32(littleEndian: 0x7275_6F73)
                && key.loadUnaligned(fromByteOffset: 4, as: UInt16.self) == UInt16(littleEndian: 0x6563) ? 2 : nil
        case 11:  // "specversion": "specvers" + "sion" (overlapping at byte 7)
            return key.loadUnaligned(as: UInt64.self) == UInt64(littleEndian: 0x7372_6576_6365_7073)
                && key.loadUnaligned(fromByteOffset: 7, as: UInt32.self) == UInt32(littleEndian: 0x6E6F_6973) ? 0 : nil
        default:
            return nil
        }
    }
}

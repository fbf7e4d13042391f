import CSimdJSON

/// Something an expression can read an event from: the owned `Event`, or the parser's view of a
/// document being ingested. The evaluator is specialised for each at compile time.
package protocol EventSource: SendableMetatype {
    /// The value at `path`, or `.error(.missingAttribute)` when any step is absent or JSON `null`.
    func value(at path: FieldPath) -> Val
    /// Whether every step of `path` is present and not JSON `null` (never an error).
    func contains(_ path: FieldPath) -> Bool
    /// The number of elements (or fields) of the container at `path`, read in place; nil when
    /// the value there is absent, not a container, or not countable in place.
    func containerCount(at path: FieldPath) -> Int?
}

/// An owned event seen by the evaluator: a bare pointer to its packed words, so evaluating
/// copies and retains nothing. Valid only inside `Event.withView`.
package struct EventView: EventSource {
    let reader: PackedReader
    let dataOffset: Int

    @inline(__always)
    func offset(of path: FieldPath) -> Int? {
        let start: Int
        if path.startsAtData {
            guard dataOffset >= 0 else { return nil }
            start = dataOffset
        } else {
            guard let found = reader.field(PackedJSON.root, packedKey: path.packedRoot.baseAddress!) else { return nil }
            start = found
        }
        return path.program.isEmpty ? start : reader.follow(start, path.program)
    }

    @inline(__always)
    package func value(at path: FieldPath) -> Val {
        guard let i = offset(of: path) else { return .error(.missingAttribute) }
        return PackedJSON.val(reader, i, narrow: path.readsAttribute)
    }

    package func contains(_ path: FieldPath) -> Bool {
        guard let i = offset(of: path) else { return false }
        return reader.words[i] & 0xF != 0
    }

    package func containerCount(at path: FieldPath) -> Int? {
        guard let i = offset(of: path) else { return nil }
        let w = reader.words[i]
        return w & 0xF == 6 || w & 0xF == 7 ? Int(truncatingIfNeeded: w >> 4) : nil
    }
}

extension Event {
    /// Runs `body` with the evaluator's view of this event.
    @inline(__always)
    package func withView<R>(_ body: (EventView) -> R) -> R {
        // `self` is borrowed for the whole call, so its storage outlives the view.
        body(EventView(reader: PackedReader(words: packed.storage.words), dataOffset: dataOffset))
    }
}

/// The parser's view of one document being ingested: values are read in place, strings borrowed.
/// Valid only until the parser reads its next document.
package struct DocumentView: EventSource {
    package let root: weir_elem
    /// The payload, found while the document was checked, so paths into it start there.
    package let data: weir_elem?
    /// What the ingest check found of the keys `DocumentView.checkedKeys` (in that order), or
    /// nil when the view was made without a check (then they are looked up when asked for).
    /// Valid as long as the view.
    package let checked: UnsafePointer<weir_field>?

    package init(root: weir_elem, data: weir_elem?, checked: UnsafePointer<weir_field>? = nil) {
        self.root = root
        self.data = data
        self.checked = checked
    }

    @inline(__always)
    package func element(at path: FieldPath) -> weir_elem? {
        var top = weir_elem()
        if path.startsAtData {
            guard let data else { return nil }
            top = data
        } else {
            let found = path.rootKey.withMemoryRebound(to: CChar.self) {
                weir_elem_field(root, $0.baseAddress, $0.count, &top)
            }
            guard found else { return nil }
        }
        if path.cSteps.isEmpty { return top }
        var out = weir_elem()
        guard weir_elem_path(top, path.cSteps.baseAddress, path.cSteps.count, &out) else { return nil }
        return out
    }

    package func value(at path: FieldPath) -> Val {
        guard let e = element(at: path) else { return .error(.missingAttribute) }
        return DocumentView.val(e, narrow: path.readsAttribute)
    }

    package func contains(_ path: FieldPath) -> Bool {
        guard let e = element(at: path) else { return false }
        return weir_elem_kind(e) != Int32(WEIR_JSON_NULL)
    }

    package func containerCount(at path: FieldPath) -> Int? {
        guard let e = element(at: path) else { return nil }
        switch weir_elem_kind(e) {
        case Int32(WEIR_JSON_ARRAY): return weir_elem_count(e)
        case Int32(WEIR_JSON_OBJECT):
            // A document's object may repeat a key, which counts once.
            var fields: [(UnsafeBufferPointer<UInt8>, weir_elem)] = []
            DocumentPacking.uniqueFields(e, into: &fields)
            return fields.count
        default: return nil
        }
    }

    @inline(__always)
    package static func val(_ e: weir_elem, narrow: Bool) -> Val {
        switch Int(weir_elem_kind(e)) {
        case Int(WEIR_JSON_STRING):
            var len = 0
            let p = weir_elem_string(e, &len)!
            return .raw(RawString(base: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: len))
        case Int(WEIR_JSON_INT64):
            let i = weir_elem_int64(e)
            if narrow, let small = Int32(exactly: i) { return .int(small) }
            return .long(i)
        case Int(WEIR_JSON_DOUBLE): return .double(weir_elem_double(e))
        case Int(WEIR_JSON_BOOL): return .bool(weir_elem_bool(e))
        case Int(WEIR_JSON_NULL): return .error(.missingAttribute)
        case Int(WEIR_JSON_UINT64): return .double(Double(weir_elem_uint64(e)))
        default:
            guard let value = JSONValue.decode(element: e, maxDepth: Val.maxContainerDepth) else {
                return .error(.generic)
            }
            return Val(value, narrow: narrow)
        }
    }
}

extension JSONValue {
    /// Copies a value out of the parser's document into Swift's owned form (iteratively,
    /// whatever the nesting depth).
    package init(element e: weir_elem) { self = JSONValue.decode(element: e, maxDepth: .max)! }

    /// Copies a value out of the parser's document, or nil when it holds more than `maxDepth`
    /// levels of nested containers.
    package static func decode(element e: weir_elem, maxDepth: Int) -> JSONValue? {
        var builder = JSONValueBuilder()
        let complete = DocumentPacking.walk(
            e, maxDepth: maxDepth,
            enter: { key, value, kind in
                let name = key.map { String(decoding: $0, as: UTF8.self) }
                switch Int(kind) {
                case Int(WEIR_JSON_NULL): builder.add(.null, key: name)
                case Int(WEIR_JSON_BOOL): builder.add(.bool(weir_elem_bool(value)), key: name)
                case Int(WEIR_JSON_INT64): builder.add(.int(weir_elem_int64(value)), key: name)
                case Int(WEIR_JSON_UINT64): builder.add(.double(Double(weir_elem_uint64(value))), key: name)
                case Int(WEIR_JSON_DOUBLE): builder.add(.double(weir_elem_double(value)), key: name)
                case Int(WEIR_JSON_STRING):
                    var len = 0
                    let p = weir_elem_string(value, &len)
                    builder.add(.string(String(decoding: DocumentPacking.bytes(p, len), as: UTF8.self)), key: name)
                case Int(WEIR_JSON_ARRAY): builder.begin(object: false, key: name)
                default: builder.begin(object: true, key: name)
                }
            },
            leave: { builder.end() })
        return complete ? builder.result : nil
    }
}

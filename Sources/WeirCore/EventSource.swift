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

    package init(root: weir_elem, data: weir_elem?) {
        self.root = root
        self.data = data
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
        // Arrays only: a document's object may repeat a key, which counts once (the evaluator
        // then decodes it, keeping the last value of each key).
        return weir_elem_kind(e) == Int32(WEIR_JSON_ARRAY) ? weir_elem_count(e) : nil
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
        default: return Val(JSONValue(element: e), narrow: narrow)
        }
    }
}

extension JSONValue {
    /// Copies a value out of the parser's document into Swift's owned form.
    package init(element e: weir_elem) {
        switch Int(weir_elem_kind(e)) {
        case Int(WEIR_JSON_NULL): self = .null
        case Int(WEIR_JSON_BOOL): self = .bool(weir_elem_bool(e))
        case Int(WEIR_JSON_INT64): self = .int(weir_elem_int64(e))
        case Int(WEIR_JSON_UINT64): self = .double(Double(weir_elem_uint64(e)))
        case Int(WEIR_JSON_DOUBLE): self = .double(weir_elem_double(e))
        case Int(WEIR_JSON_STRING):
            var len = 0
            let p = weir_elem_string(e, &len)!
            self = .string(
                String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self))
        case Int(WEIR_JSON_ARRAY):
            var elements: [JSONValue] = []
            elements.reserveCapacity(weir_elem_count(e))
            var it = weir_iter_begin(e)
            var value = weir_elem()
            while weir_iter_next(&it, nil, nil, &value) { elements.append(JSONValue(element: value)) }
            self = .array(elements)
        default:
            var object = JSONObject()
            DocumentPacking.forEachUniqueField(e) { key, value in
                object.appendUnchecked(String(decoding: key, as: UTF8.self), JSONValue(element: value))
            }
            self = .object(object)
        }
    }
}

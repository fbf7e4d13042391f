import CSimdJSON

/// Something an expression can read an event from: the owned `Event`, or the parser's view of a
/// document being ingested. The evaluator is specialised for each at compile time.
package protocol EventSource: SendableMetatype {
    /// The value at `path`, or `.error(.missingAttribute)` when any step is absent or JSON `null`.
    func value(at path: FieldPath) -> Val
    /// Whether every step of `path` is present and not JSON `null` (never an error).
    func contains(_ path: FieldPath) -> Bool
}

extension Event: EventSource {
    @inline(__always)
    package func rootValue(_ root: FieldPath.Root) -> JSONValue? {
        switch root {
        case .specversion: return .string(specversion)
        case .id: return .string(id)
        case .source: return .string(source)
        case .type: return .string(type)
        case .data: return data
        case .attribute(let name): return attributes[name]
        }
    }

    package func value(at path: FieldPath) -> Val {
        if path.steps.isEmpty {
            switch path.root {
            case .specversion: return .string(specversion)
            case .id: return .string(id)
            case .source: return .string(source)
            case .type: return .string(type)
            case .data: return data.map { Val($0, narrow: false) } ?? .error(.missingAttribute)
            case .attribute(let name):
                guard let i = attributes.index(of: name) else { return .error(.missingAttribute) }
                return Val(attributes.values[i], narrow: true)
            }
        }
        guard let found = Event.follow(rootValue(path.root), path.steps) else { return .error(.missingAttribute) }
        return Val(found, narrow: false)
    }

    package func contains(_ path: FieldPath) -> Bool {
        Event.follow(rootValue(path.root), path.steps) != nil
    }

    @inline(__always)
    static func follow(_ start: JSONValue?, _ steps: [FieldPath.Step]) -> JSONValue? {
        guard var current = start else { return nil }
        for step in steps {
            switch step {
            case .key(let key):
                guard case .object(let object) = current, let i = object.index(of: key) else { return nil }
                current = object.values[i]
            case .index(let n):
                guard case .array(let array) = current, n >= 0, n < array.count else { return nil }
                current = array[n]
            }
        }
        return current == .null ? nil : current
    }
}

/// The parser's view of one document being ingested: values are read in place, strings borrowed.
/// Valid only until the parser reads its next document.
package struct DocumentView: EventSource {
    package let root: weir_elem

    package init(root: weir_elem) { self.root = root }

    @inline(__always)
    package func element(at path: FieldPath) -> weir_elem? {
        var top = weir_elem()
        let found = path.rootKey.withMemoryRebound(to: CChar.self) {
            weir_elem_field(root, $0.baseAddress, $0.count, &top)
        }
        guard found else { return nil }
        if path.steps.isEmpty { return top }
        var out = weir_elem()
        guard weir_elem_path(top, path.cSteps.baseAddress, path.cSteps.count, &out) else { return nil }
        return out
    }

    package func value(at path: FieldPath) -> Val {
        guard let e = element(at: path) else { return .error(.missingAttribute) }
        return DocumentView.val(e, narrow: path.steps.isEmpty && path.root != .data)
    }

    package func contains(_ path: FieldPath) -> Bool {
        guard let e = element(at: path) else { return false }
        return weir_elem_kind(e) != Int32(WEIR_JSON_NULL)
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
            var it = weir_iter_begin(e)
            var key: UnsafePointer<CChar>? = nil
            var keyLen = 0
            var value = weir_elem()
            while weir_iter_next(&it, &key, &keyLen, &value) {
                let name = String(decoding: UnsafeRawBufferPointer(start: key, count: keyLen), as: UTF8.self)
                object[name] = JSONValue(element: value)
            }
            self = .object(object)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSimdJSON

extension Event {
    /// Packs a parsed document that passed the ingest checks (an object whose required
    /// attributes are non-empty strings) into an owned event, in one walk and one allocation.
    ///
    /// As in `Event(json:)`: a repeated key's last value wins, and a JSON `null` attribute (or
    /// `data`) is absent.
    package init(checkedDocument root: weir_elem) {
        var builder = PackedBuilder(capacity: 128)
        let mark = builder.begin(object: true)
        var count = 0
        for name in Event.requiredNames {
            var value = weir_elem()
            var name = name
            _ = name.withUTF8 { weir_elem_field(root, UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), $0.count, &value) }
            builder.append(name)
            builder.appendElement(value)
            count += 1
        }
        var data: weir_elem?
        DocumentPacking.forEachUniqueField(root) { key, value in
            if RequiredNames.contains(key) || weir_elem_kind(value) == Int32(WEIR_JSON_NULL) { return }
            if key.count == 4 && memcmp(key.baseAddress!, "data", 4) == 0 {
                data = value
                return
            }
            builder.appendString(key)
            builder.appendElement(value)
            count += 1
        }
        var dataOffset = -1
        if let data {
            builder.append("data")
            dataOffset = builder.words.count
            builder.appendElement(data)
            count += 1
        }
        builder.end(mark, count: count)
        self.init(packed: PackedJSON(builder: builder), dataOffset: dataOffset)
    }
}

enum RequiredNames {
    static func contains(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        switch key.count {
        case 11: return memcmp(key.baseAddress!, "specversion", 11) == 0
        case 2: return key[0] == UInt8(ascii: "i") && key[1] == UInt8(ascii: "d")
        case 6: return memcmp(key.baseAddress!, "source", 6) == 0
        case 4: return memcmp(key.baseAddress!, "type", 4) == 0
        default: return false
        }
    }
}

enum DocumentPacking {
    /// Calls `body` with each key and value of an object, skipping an occurrence of a key that
    /// appears again later (the last one wins).
    static func forEachUniqueField(_ object: weir_elem, _ body: (UnsafeBufferPointer<UInt8>, weir_elem) -> Void) {
        var fields: [(UnsafeBufferPointer<UInt8>, weir_elem)] = []
        uniqueFields(object, into: &fields)
        for (key, value) in fields { body(key, value) }
    }

    /// Appends the fields of an object to `fields`, in order, skipping an occurrence of a key
    /// that appears again later (the last one wins). Pairwise for small objects, hashed for large
    /// ones, so a hostile object with many keys stays fast.
    static func uniqueFields(_ object: weir_elem, into fields: inout [(UnsafeBufferPointer<UInt8>, weir_elem)]) {
        let start = fields.count
        var it = weir_iter_begin(object)
        var key: UnsafePointer<CChar>? = nil
        var keyLength = 0
        var value = weir_elem()
        while weir_iter_next(&it, &key, &keyLength, &value) { fields.append((bytes(key, keyLength), value)) }
        let n = fields.count - start
        if n < 2 { return }
        var kept = start
        if n <= 16 {
            // Compacts in place: a field is kept when no later field has its key (later fields
            // are read before they can be overwritten, since `kept` never passes `i`).
            for i in start..<(start + n) {
                let k = fields[i].0
                var repeated = false
                for j in (i + 1)..<(start + n) where fields[j].0.count == k.count {
                    if k.count == 0 || memcmp(fields[j].0.baseAddress!, k.baseAddress!, k.count) == 0 {
                        repeated = true
                        break
                    }
                }
                if !repeated {
                    fields[kept] = fields[i]
                    kept += 1
                }
            }
        } else {
            var last: [String: Int] = [:]
            for i in start..<(start + n) { last[String(decoding: fields[i].0, as: UTF8.self)] = i }
            for i in start..<(start + n) where last[String(decoding: fields[i].0, as: UTF8.self)] == i {
                fields[kept] = fields[i]
                kept += 1
            }
        }
        fields.removeLast(start + n - kept)
    }

    /// Visits every value of a document depth first, without recursion (an event may be nested
    /// 65536 levels deep, far beyond what any thread's stack holds in recursive calls).
    ///
    /// `enter` gets each value with its key (nil for the root and array elements) and kind; a
    /// container's children follow it, then `leave` is called for it. Objects with repeated keys
    /// are visited with the last value of each key, at the key's last position.
    ///
    /// - Returns: false when the walk stopped at a container nested more than `maxDepth` levels
    ///   deep (the root container is level 1); that container was entered, but not its children.
    @inline(__always)
    @discardableResult
    static func walk(
        _ root: weir_elem, maxDepth: Int = .max,
        enter: (UnsafeBufferPointer<UInt8>?, weir_elem, Int32) -> Void,
        leave: () -> Void
    ) -> Bool {
        struct Frame {
            var iterator: weir_iter
            /// For an object: the first, next and end positions of its fields in `fields`.
            var start: Int
            var next: Int
            var end: Int
            var isObject: Bool
        }
        let rootKind = weir_elem_kind(root)
        enter(nil, root, rootKind)
        guard rootKind == Int32(WEIR_JSON_ARRAY) || rootKind == Int32(WEIR_JSON_OBJECT) else { return true }
        if maxDepth < 1 { return false }
        var frames: [Frame] = []
        var fields: [(UnsafeBufferPointer<UInt8>, weir_elem)] = []
        func push(_ e: weir_elem, object: Bool) {
            if object {
                let start = fields.count
                uniqueFields(e, into: &fields)
                frames.append(Frame(iterator: weir_iter(), start: start, next: start, end: fields.count, isObject: true))
            } else {
                frames.append(Frame(iterator: weir_iter_begin(e), start: 0, next: 0, end: 0, isObject: false))
            }
        }
        push(root, object: rootKind == Int32(WEIR_JSON_OBJECT))
        while let top = frames.indices.last {
            var key: UnsafeBufferPointer<UInt8>?
            var value = weir_elem()
            if frames[top].isObject {
                if frames[top].next == frames[top].end {
                    // Its children have dropped their fields already: drop its own.
                    fields.removeSubrange(frames.removeLast().start...)
                    leave()
                    continue
                }
                (key, value) = fields[frames[top].next]
                frames[top].next += 1
            } else {
                guard weir_iter_next(&frames[top].iterator, nil, nil, &value) else {
                    frames.removeLast()
                    leave()
                    continue
                }
            }
            let kind = weir_elem_kind(value)
            enter(key, value, kind)
            if kind == Int32(WEIR_JSON_ARRAY) || kind == Int32(WEIR_JSON_OBJECT) {
                if frames.count == maxDepth { return false }
                push(value, object: kind == Int32(WEIR_JSON_OBJECT))
            }
        }
        return true
    }

    @inline(__always)
    static func bytes(_ p: UnsafePointer<CChar>?, _ count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: UnsafeRawPointer(p)?.assumingMemoryBound(to: UInt8.self), count: count)
    }
}

extension PackedBuilder {
    /// Appends a document value (objects with repeated keys keep the last value of each), in
    /// one iterative walk whatever the nesting depth.
    package mutating func appendElement(_ e: weir_elem) {
        var marks: [(mark: Int, count: Int)] = []
        DocumentPacking.walk(
            e,
            enter: { key, value, kind in
                if let key { appendString(key) }
                if !marks.isEmpty { marks[marks.count - 1].count += 1 }
                switch Int(kind) {
                case Int(WEIR_JSON_NULL): appendNull()
                case Int(WEIR_JSON_BOOL): append(weir_elem_bool(value))
                case Int(WEIR_JSON_INT64): append(weir_elem_int64(value))
                case Int(WEIR_JSON_UINT64): append(Double(weir_elem_uint64(value)))
                case Int(WEIR_JSON_DOUBLE): append(weir_elem_double(value))
                case Int(WEIR_JSON_STRING):
                    var length = 0
                    let p = weir_elem_string(value, &length)
                    appendString(DocumentPacking.bytes(p, length))
                case Int(WEIR_JSON_ARRAY): marks.append((begin(object: false), 0))
                default: marks.append((begin(object: true), 0))
                }
            },
            leave: {
                let (mark, count) = marks.removeLast()
                end(mark, count: count)
            })
    }
}

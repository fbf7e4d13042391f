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
    /// appears again later (the last one wins). Linear for small objects' pairwise check, hashed
    /// for large ones, so a hostile object with many keys stays fast.
    static func forEachUniqueField(_ object: weir_elem, _ body: (UnsafeBufferPointer<UInt8>, weir_elem) -> Void) {
        var it = weir_iter_begin(object)
        var key: UnsafePointer<CChar>? = nil
        var keyLength = 0
        var value = weir_elem()
        if weir_elem_count(object) <= 16 {
            // Small objects (nearly all): collect the fields on the stack, then skip a field whose
            // key appears again later. No allocation, one pass of the iterator.
            withUnsafeTemporaryAllocation(of: (UnsafeBufferPointer<UInt8>, weir_elem).self, capacity: 16) { fields in
                var n = 0
                while n < 16, weir_iter_next(&it, &key, &keyLength, &value) {
                    fields.initializeElement(at: n, to: (bytes(key, keyLength), value))
                    n += 1
                }
                for i in 0..<n {
                    let k = fields[i].0
                    var repeated = false
                    for j in (i + 1)..<n where fields[j].0.count == k.count {
                        if k.count == 0 || memcmp(fields[j].0.baseAddress!, k.baseAddress!, k.count) == 0 {
                            repeated = true
                            break
                        }
                    }
                    if !repeated { body(k, fields[i].1) }
                }
                _ = fields.baseAddress!.deinitialize(count: n)
            }
            return
        }
        var keys: [UnsafeBufferPointer<UInt8>] = []
        var values: [weir_elem] = []
        while weir_iter_next(&it, &key, &keyLength, &value) {
            keys.append(bytes(key, keyLength))
            values.append(value)
        }
        var last: [String: Int] = [:]
        for (i, k) in keys.enumerated() { last[String(decoding: k, as: UTF8.self)] = i }
        for i in keys.indices where last[String(decoding: keys[i], as: UTF8.self)] == i {
            body(keys[i], values[i])
        }
    }

    @inline(__always)
    static func bytes(_ p: UnsafePointer<CChar>?, _ count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: UnsafeRawPointer(p)?.assumingMemoryBound(to: UInt8.self), count: count)
    }
}

extension PackedBuilder {
    /// Appends a document value (objects with repeated keys keep the last value of each).
    package mutating func appendElement(_ e: weir_elem) {
        switch Int(weir_elem_kind(e)) {
        case Int(WEIR_JSON_NULL): appendNull()
        case Int(WEIR_JSON_BOOL): append(weir_elem_bool(e))
        case Int(WEIR_JSON_INT64): append(weir_elem_int64(e))
        case Int(WEIR_JSON_UINT64): append(Double(weir_elem_uint64(e)))
        case Int(WEIR_JSON_DOUBLE): append(weir_elem_double(e))
        case Int(WEIR_JSON_STRING):
            var length = 0
            let p = weir_elem_string(e, &length)
            appendString(UnsafeBufferPointer(start: UnsafeRawPointer(p)?.assumingMemoryBound(to: UInt8.self), count: length))
        case Int(WEIR_JSON_ARRAY):
            let mark = begin(object: false)
            var count = 0
            var it = weir_iter_begin(e)
            var value = weir_elem()
            while weir_iter_next(&it, nil, nil, &value) {
                appendElement(value)
                count += 1
            }
            end(mark, count: count)
        default:
            let mark = begin(object: true)
            var count = 0
            DocumentPacking.forEachUniqueField(e) { key, value in
                appendString(key)
                appendElement(value)
                count += 1
            }
            end(mark, count: count)
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

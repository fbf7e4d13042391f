#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSimdJSON

extension Event {
    /// An owned event holding a parsed document that passed the ingest checks (an object whose
    /// required attributes are non-empty strings): what an engine keeps of an input document
    /// once a declaration keeps it (a document view is valid only until the next parse).
    ///
    /// This one makes its own working memory: to pack many documents, keep one `EventPacker`
    /// (or call `EventReader.ownedEvent(_:)`), which costs one allocation per event.
    ///
    /// As in `Event(json:)`: a repeated key's last value wins, and a JSON `null` attribute (or
    /// `data`) is absent.
    package init(document: DocumentView) {
        var packer = EventPacker()
        self = packer.event(from: document)
    }

    /// `init(document:)` for a checked document's root alone.
    package init(checkedDocument root: weir_elem) {
        self.init(document: DocumentView(root: root, data: nil))
    }
}

/// Packs the parser's document views into owned `Event`s, in one walk each, reusing its working
/// memory: once it has grown to the largest document seen, each event costs exactly one
/// allocation (the event's packed storage). Keep one per reader; not for use from two threads.
///
/// ```swift
/// var packer = EventPacker()
/// _ = reader.forEach({ document, _ in
///     if keeps(document) { kept.append(packer.event(from: document)) }
/// }, rejected: { _ in })
/// ```
package struct EventPacker {
    /// Where the parser's side packs an event (`weir_pack_event`): grown, never shrunk.
    private var words = [UInt64](repeating: 0, count: 256)
    private var builder = PackedBuilder(capacity: 256)
    private var walk = WalkScratch()
    private var marks: [(mark: Int, count: Int)] = []
    private var fields: [(UnsafeBufferPointer<UInt8>, weir_elem)] = []

    package init() {}

    /// The owned event for `document`, a document that passed the ingest checks (its required
    /// attributes are non-empty strings). A repeated key's last value wins, and a JSON `null`
    /// attribute (or `data`) is absent, as in `Event(json:)`.
    package mutating func event(from document: DocumentView) -> Event {
        // In one call into the parser's side; the walk below handles what that refuses (objects
        // with a repeated key or more than 16 fields, nesting deeper than 256).
        while true {
            var used = 0
            var dataOffset = -1
            let status = words.withUnsafeMutableBufferPointer {
                weir_pack_event(document.root, $0.baseAddress, $0.count, &used, &dataOffset)
            }
            if status == Int32(WEIR_PACK_OK) {
                let packed = words.withUnsafeBufferPointer { PackedJSON(words: UnsafeBufferPointer(rebasing: $0[..<used])) }
                return Event(packed: packed, dataOffset: dataOffset)
            }
            guard status == Int32(WEIR_PACK_NO_ROOM) else { break }
            words = [UInt64](repeating: 0, count: words.count * 2)
        }
        return walked(document)
    }

    /// `event(from:)` by a walk of the document in Swift (any document; slower, and its
    /// working memory is reused too).
    package mutating func walked(_ document: DocumentView) -> Event {
        builder.words.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        let mark = builder.begin(object: true)
        var count = 0
        for slot in 0..<Event.requiredNames.count {
            let key = DocumentView.checkedKeys[slot]
            builder.appendString(UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            let found = document.attribute(slot)
            if found.kind == Int32(WEIR_JSON_STRING) {
                builder.appendString(found.string.buffer)
            } else {
                builder.appendElement(found.value, scratch: &walk, marks: &marks)
            }
            count += 1
        }
        var data: weir_elem?
        DocumentPacking.uniqueFields(document.root, into: &fields)
        for (key, value) in fields {
            if RequiredNames.contains(key) || weir_elem_kind(value) == Int32(WEIR_JSON_NULL) { continue }
            if key.count == 4 && memcmp(key.baseAddress!, "data", 4) == 0 {
                data = value
                continue
            }
            builder.appendString(key)
            builder.appendElement(value, scratch: &walk, marks: &marks)
            count += 1
        }
        var dataOffset = -1
        if let data {
            builder.append("data")
            dataOffset = builder.words.count
            builder.appendElement(data, scratch: &walk, marks: &marks)
            count += 1
        }
        builder.end(mark, count: count)
        return Event(packed: PackedJSON(builder: builder), dataOffset: dataOffset)
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
        var scratch = WalkScratch()
        return walk(root, maxDepth: maxDepth, scratch: &scratch, enter: enter, leave: leave)
    }

    /// `walk(_:maxDepth:enter:leave:)` with its working memory in `scratch`, so that walks
    /// reusing one scratch allocate nothing once it has grown.
    @inline(__always)
    @discardableResult
    static func walk(
        _ root: weir_elem, maxDepth: Int = .max, scratch: inout WalkScratch,
        enter: (UnsafeBufferPointer<UInt8>?, weir_elem, Int32) -> Void,
        leave: () -> Void
    ) -> Bool {
        let rootKind = weir_elem_kind(root)
        enter(nil, root, rootKind)
        guard rootKind == Int32(WEIR_JSON_ARRAY) || rootKind == Int32(WEIR_JSON_OBJECT) else { return true }
        if maxDepth < 1 { return false }
        scratch.frames.removeAll(keepingCapacity: true)
        scratch.fields.removeAll(keepingCapacity: true)
        func push(_ e: weir_elem, object: Bool) {
            if object {
                let start = scratch.fields.count
                uniqueFields(e, into: &scratch.fields)
                scratch.frames.append(
                    WalkFrame(iterator: weir_iter(), start: start, next: start, end: scratch.fields.count, isObject: true))
            } else {
                scratch.frames.append(WalkFrame(iterator: weir_iter_begin(e), start: 0, next: 0, end: 0, isObject: false))
            }
        }
        push(root, object: rootKind == Int32(WEIR_JSON_OBJECT))
        while let top = scratch.frames.indices.last {
            var key: UnsafeBufferPointer<UInt8>?
            var value = weir_elem()
            if scratch.frames[top].isObject {
                if scratch.frames[top].next == scratch.frames[top].end {
                    // Its children have dropped their fields already: drop its own.
                    scratch.fields.removeSubrange(scratch.frames.removeLast().start...)
                    leave()
                    continue
                }
                (key, value) = scratch.fields[scratch.frames[top].next]
                scratch.frames[top].next += 1
            } else {
                guard weir_iter_next(&scratch.frames[top].iterator, nil, nil, &value) else {
                    scratch.frames.removeLast()
                    leave()
                    continue
                }
            }
            let kind = weir_elem_kind(value)
            enter(key, value, kind)
            if kind == Int32(WEIR_JSON_ARRAY) || kind == Int32(WEIR_JSON_OBJECT) {
                if scratch.frames.count == maxDepth { return false }
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

/// The working memory of `DocumentPacking.walk`: reused across walks, it stops allocating
/// once it has grown to the deepest and widest document seen.
struct WalkScratch {
    /// The containers being walked, innermost last.
    var frames: [WalkFrame] = []
    /// The fields of the objects in `frames` (each object's last value per key).
    var fields: [(UnsafeBufferPointer<UInt8>, weir_elem)] = []
}

/// A container being walked.
struct WalkFrame {
    var iterator: weir_iter
    /// For an object: the first, next and end positions of its fields in `WalkScratch.fields`.
    var start: Int
    var next: Int
    var end: Int
    var isObject: Bool
}

extension PackedBuilder {
    /// Appends a document value (objects with repeated keys keep the last value of each), in
    /// one iterative walk whatever the nesting depth.
    package mutating func appendElement(_ e: weir_elem) {
        var scratch = WalkScratch()
        var marks: [(mark: Int, count: Int)] = []
        appendElement(e, scratch: &scratch, marks: &marks)
    }

    /// `appendElement(_:)` with its working memory in `scratch` and `marks` (reused, so that
    /// appending allocates nothing once they have grown).
    mutating func appendElement(_ e: weir_elem, scratch: inout WalkScratch, marks: inout [(mark: Int, count: Int)]) {
        marks.removeAll(keepingCapacity: true)
        DocumentPacking.walk(
            e, scratch: &scratch,
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

import CSimdJSON

/// A path into an event, resolved at compile time: the top-level attribute it starts from and
/// the keys and indexes after it (`data.items[0].price`, `subject`, `data['odd-key']`).
///
/// Immutable and shared by every evaluation; it keeps its keys as C steps for the parser's view.
package final class FieldPath: @unchecked Sendable, Hashable, CustomStringConvertible {
    package enum Root: Hashable, Sendable {
        case specversion, id, source, type, data
        /// Any other attribute, by exact (lower-case) name.
        case attribute(String)

        package init(name: String) {
            switch name {
            case "specversion": self = .specversion
            case "id": self = .id
            case "source": self = .source
            case "type": self = .type
            case "data": self = .data
            default: self = .attribute(name)
            }
        }

        package var name: String {
            switch self {
            case .specversion: return "specversion"
            case .id: return "id"
            case .source: return "source"
            case .type: return "type"
            case .data: return "data"
            case .attribute(let n): return n
            }
        }
    }

    package enum Step: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    package let root: Root
    package let steps: [Step]
    /// The root's name as UTF-8, followed by the step keys, all in one stable allocation.
    private let storage: UnsafeMutableBufferPointer<UInt8>
    package let rootKey: UnsafeBufferPointer<UInt8>
    /// The steps as C structs (key bytes or index), exactly `steps.count` of them.
    package let cSteps: UnsafeBufferPointer<weir_step>
    /// The root's name packed as a string, for looking attributes up in an event's packed form.
    package let packedRoot: UnsafeBufferPointer<UInt64>
    /// The steps as a packed program: a key is a packed string (header word, then its bytes in
    /// words), an index is one word `0xF | index << 4`.
    package let program: UnsafeBufferPointer<UInt64>
    /// Precomputed for the evaluator's hot path, which must not touch `root` or `steps`
    /// (reading an enum with a String payload costs reference counting).
    package let startsAtData: Bool
    /// Whether an integer read here is a CloudEvents attribute (32-bit when it fits).
    package let readsAttribute: Bool
    private let cStepStorage: UnsafeMutablePointer<weir_step>

    package init(root: Root, steps: [Step] = []) {
        self.root = root
        self.steps = steps
        let rootName = Array(root.name.utf8)
        var total = rootName.count
        for case .key(let k) in steps { total += k.utf8.count }
        storage = .allocate(capacity: max(total, 1))
        _ = storage.initialize(from: rootName)
        rootKey = UnsafeBufferPointer(rebasing: storage[0..<rootName.count])
        cStepStorage = .allocate(capacity: max(steps.count, 1))
        cSteps = UnsafeBufferPointer(start: cStepStorage, count: steps.count)
        startsAtData = root == .data
        readsAttribute = steps.isEmpty && root != .data
        packedRoot = FieldPath.stable(FieldPath.packedString(root.name))
        var words: [UInt64] = []
        for step in steps {
            switch step {
            case .key(let k): words += FieldPath.packedString(k)
            case .index(let n):
                // An index too large for the word (or negative) is beyond any array: never found.
                words.append(0xF | UInt64(n >= 0 && n < 1 << 59 ? n : 1 << 59) << 4)
            }
        }
        program = FieldPath.stable(words)
        var offset = rootName.count
        for (i, step) in steps.enumerated() {
            switch step {
            case .key(let k):
                let bytes = Array(k.utf8)
                let start = storage.baseAddress! + offset
                start.initialize(from: bytes, count: bytes.count)
                cStepStorage[i] = weir_step(
                    key: UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), key_len: bytes.count, index: 0)
                offset += bytes.count
            case .index(let n):
                cStepStorage[i] = weir_step(key: nil, key_len: 0, index: n)
            }
        }
    }

    /// A key packed as `PackedJSON` packs strings.
    static func packedString(_ text: String) -> [UInt64] {
        var builder = PackedBuilder()
        builder.append(text)
        return builder.words
    }

    static func stable(_ words: [UInt64]) -> UnsafeBufferPointer<UInt64> {
        let p = UnsafeMutablePointer<UInt64>.allocate(capacity: max(words.count, 1))
        p.initialize(from: words, count: words.count)
        return UnsafeBufferPointer(start: p, count: words.count)
    }

    deinit {
        packedRoot.deallocate()
        program.deallocate()
        storage.deallocate()
        cStepStorage.deallocate()
    }


    package var description: String {
        var text = root.name
        for step in steps {
            switch step {
            case .key(let k):
                if let first = k.unicodeScalars.first, first == "_" || first.properties.isAlphabetic,
                    k.unicodeScalars.allSatisfy({ $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) })
                {
                    text += "." + k
                } else {
                    text += "['" + k.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "\\'") + "']"
                }
            case .index(let n): text += "[\(n)]"
            }
        }
        return text
    }

    package static func == (a: FieldPath, b: FieldPath) -> Bool { a.root == b.root && a.steps == b.steps }
    package func hash(into hasher: inout Hasher) {
        hasher.combine(root)
        hasher.combine(steps)
    }
}

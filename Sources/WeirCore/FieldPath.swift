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
    package let cSteps: UnsafeMutableBufferPointer<weir_step>

    package init(root: Root, steps: [Step] = []) {
        self.root = root
        self.steps = steps
        let rootName = Array(root.name.utf8)
        var total = rootName.count
        for case .key(let k) in steps { total += k.utf8.count }
        storage = .allocate(capacity: max(total, 1))
        _ = storage.initialize(from: rootName)
        rootKey = UnsafeBufferPointer(rebasing: storage[0..<rootName.count])
        cSteps = .allocate(capacity: max(steps.count, 1))
        var offset = rootName.count
        for (i, step) in steps.enumerated() {
            switch step {
            case .key(let k):
                let bytes = Array(k.utf8)
                let start = storage.baseAddress! + offset
                start.initialize(from: bytes, count: bytes.count)
                cSteps[i] = weir_step(
                    key: UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), key_len: bytes.count, index: 0)
                offset += bytes.count
            case .index(let n):
                cSteps[i] = weir_step(key: nil, key_len: 0, index: n)
            }
        }
    }

    deinit {
        storage.deallocate()
        cSteps.deallocate()
    }

    /// Whether this path names a whole top-level attribute (no steps after the root).
    package var isAttribute: Bool { steps.isEmpty && root != .data }

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

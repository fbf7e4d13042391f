/// The UTF-8 bytes of an id a window keeps for its emitted event (the last event's `id` or
/// `correlationid`), replaced at every event the window takes: up to 32 bytes are kept inline,
/// so recording them copies bytes and touches no heap; longer ones use a reused array.
/// Encoded as its bytes (a JSON array of numbers).
struct CauseBytes: Sendable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var count = 0
    /// The bytes when there are more than fit inline.
    private var spill: [UInt8] = []

    private static let inlineCapacity = 32

    init() {}

    init(_ bytes: UnsafeBufferPointer<UInt8>) { set(bytes) }

    /// Replaces the bytes.
    @inline(__always)
    mutating func set(_ bytes: UnsafeBufferPointer<UInt8>) {
        count = bytes.count
        if bytes.count <= CauseBytes.inlineCapacity {
            if bytes.count > 0 {
                withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(bytes)) }
            }
            if !spill.isEmpty { spill = [] }
        } else {
            spill.removeAll(keepingCapacity: true)
            spill.append(contentsOf: bytes)
        }
    }

    /// Calls `body` with the bytes.
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if count > CauseBytes.inlineCapacity { return spill.withUnsafeBufferPointer(body) }
        var copy = words
        let n = count
        return withUnsafeBytes(of: &copy) { body(UnsafeBufferPointer(start: $0.bindMemory(to: UInt8.self).baseAddress, count: n)) }
    }

    /// The bytes as a string (invalid UTF-8 repaired).
    var string: String { withBytes { String(decoding: $0, as: UTF8.self) } }
}

extension CauseBytes: Codable {
    init(from decoder: any Decoder) throws {
        let bytes = try decoder.singleValueContainer().decode([UInt8].self)
        self.init()
        bytes.withUnsafeBufferPointer { set($0) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(withBytes { Array($0) })
    }
}

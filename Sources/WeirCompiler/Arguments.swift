import WeirCore

/// The cast arguments of one built-in function call. Up to three are held inline, so a call
/// allocates no argument array per evaluation; more (variadic `CONCAT` and the like) spill
/// into an array.
struct Arguments: RandomAccessCollection {
    private let a0: Val
    private let a1: Val
    private let a2: Val
    /// Every argument, when there are more than three (else empty: no allocation).
    private var spilled: [Val]
    private(set) var count: Int

    init() { (a0, a1, a2, spilled, count) = (.bool(false), .bool(false), .bool(false), [], 0) }
    init(_ x: Val) { (a0, a1, a2, spilled, count) = (x, .bool(false), .bool(false), [], 1) }
    init(_ x: Val, _ y: Val) { (a0, a1, a2, spilled, count) = (x, y, .bool(false), [], 2) }
    init(_ x: Val, _ y: Val, _ z: Val) { (a0, a1, a2, spilled, count) = (x, y, z, [], 3) }

    init(_ values: [Val]) {
        switch values.count {
        case 0: self.init()
        case 1: self.init(values[0])
        case 2: self.init(values[0], values[1])
        case 3: self.init(values[0], values[1], values[2])
        default:
            self.init()
            (spilled, count) = (values, values.count)
        }
    }

    /// Whether the arguments are held inline (no array was allocated for them).
    var isInline: Bool { count <= 3 && spilled.capacity == 0 }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    @inline(__always)
    subscript(i: Int) -> Val {
        if count > 3 { return spilled[i] }
        precondition(i >= 0 && i < count, "argument index out of range")
        switch i {
        case 0: return a0
        case 1: return a1
        default: return a2
        }
    }
}

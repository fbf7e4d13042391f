import WeirCore

/// The operators of CloudEvents SQL section 3.4 over `Val`, with Weir's numeric promotion:
/// Integer (32-bit) op Integer stays 32-bit; with a 64-bit integer it is 64-bit; with a double it
/// is a double. Overflow and division by zero are math errors, never a wrap or a trap.
enum Operators {
    // MARK: Arithmetic

    @inline(__always)
    static func arithmetic(_ op: ArithmeticOp, _ l: Val, _ r: Val) -> Val {
        let a = Cast.toNumber(l)
        if case .error = a { return a }
        let b = Cast.toNumber(r)
        if case .error = b { return b }
        switch (a, b) {
        case (.int(let x), .int(let y)): return int32(op, x, y)
        case (.double(let x), _): return double(op, x, b.asDouble)
        case (_, .double(let y)): return double(op, a.asDouble, y)
        default: return int64(op, a.asInt64, b.asInt64)
        }
    }

    static func int32(_ op: ArithmeticOp, _ x: Int32, _ y: Int32) -> Val {
        integer(op, x, y).map { .int($0) } ?? .error(.math)
    }

    static func int64(_ op: ArithmeticOp, _ x: Int64, _ y: Int64) -> Val {
        integer(op, x, y).map { .long($0) } ?? .error(.math)
    }

    /// Checked integer arithmetic: nil on overflow or division by zero.
    @inline(__always)
    static func integer<T: FixedWidthInteger>(_ op: ArithmeticOp, _ x: T, _ y: T) -> T? {
        let (v, overflow): (T, Bool)
        switch op {
        case .add: (v, overflow) = x.addingReportingOverflow(y)
        case .subtract: (v, overflow) = x.subtractingReportingOverflow(y)
        case .multiply: (v, overflow) = x.multipliedReportingOverflow(by: y)
        case .divide:
            if y == 0 { return nil }
            (v, overflow) = x.dividedReportingOverflow(by: y)
        case .remainder:
            if y == 0 { return nil }
            if y == -1 { return 0 }  // min % -1 is 0, though min / -1 overflows
            (v, overflow) = x.remainderReportingOverflow(dividingBy: y)
        }
        return overflow ? nil : v
    }

    static func double(_ op: ArithmeticOp, _ x: Double, _ y: Double) -> Val {
        let v: Double
        switch op {
        case .add: v = x + y
        case .subtract: v = x - y
        case .multiply: v = x * y
        case .divide:
            if y == 0 { return .error(.math) }
            v = x / y
        case .remainder:
            if y == 0 { return .error(.math) }
            v = x.truncatingRemainder(dividingBy: y)
        }
        return v.isFinite ? .double(v) : .error(.math)
    }

    static func negate(_ v: Val) -> Val {
        switch Cast.toNumber(v) {
        case .int(let i):
            let (r, o) = Int32(0).subtractingReportingOverflow(i)
            return o ? .error(.math) : .int(r)
        case .long(let i):
            let (r, o) = Int64(0).subtractingReportingOverflow(i)
            return o ? .error(.math) : .long(r)
        case .double(let d): return .double(-d)
        case let other: return other
        }
    }

    // MARK: Comparison

    /// `<`, `<=`, `>`, `>=`: both operands are cast to numbers (CESQL: to Integer), so strings are
    /// never ordered as text.
    @inline(__always)
    static func compare(_ op: ComparisonOp, _ l: Val, _ r: Val) -> Val {
        let a = Cast.toNumber(l)
        if case .error = a { return a }
        let b = Cast.toNumber(r)
        if case .error = b { return b }
        guard let order = Val.numericOrder(a, b) else { return .bool(false) }  // NaN compares false
        return .bool(op.holds(order))
    }

    // MARK: Equality

    /// `=` (CESQL 3.7: an ambiguous operator, so the left operand is cast to the right one's type).
    /// Numbers of any width compare by value. Arrays and objects compare structurally with their own kind.
    @inline(__always)
    static func equal(_ l: Val, _ r: Val) -> Val {
        switch r {
        case .error: return r
        case .bool(let y):
            switch Cast.toBool(l) {
            case .bool(let x): return .bool(x == y)
            case let e: return e
            }
        case .int, .long, .double:
            let a = Cast.toNumber(l, like: r)
            if case .error = a { return a }
            return .bool(Val.numericOrder(a, r) == 0)
        case .string, .raw:
            let a = Cast.toString(l)
            if case .error = a { return a }
            return .bool(textEqual(a, r))
        case .array(let y):
            if case .array(let x) = l { return .bool(containersEqual(.array(x), .array(y))) }
            return l.isError ? l : .error(.cast)
        case .object(let y):
            if case .object(let x) = l { return .bool(containersEqual(.object(x), .object(y))) }
            return l.isError ? l : .error(.cast)
        }
    }

    /// Equality of two arrays or objects, element by element with the scalar rules: numbers by
    /// value whatever their width (`[1] = [1.0]`), strings by bytes, Booleans, JSON `null` equal
    /// to `null`; values of different kinds are unequal (no cast inside containers). Arrays in
    /// order; objects with the same keys (compared by bytes) in any order. Iterative: any depth.
    static func containersEqual(_ a: JSONValue, _ b: JSONValue) -> Bool {
        var pending: [(JSONValue, JSONValue)] = [(a, b)]
        while let pair = pending.popLast() {
            switch pair {
            case (.null, .null): continue
            case (.bool(let x), .bool(let y)): if x != y { return false }
            case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
                if Val.numericOrder(Val(pair.0, narrow: false), Val(pair.1, narrow: false)) != 0 { return false }
            case (.string(let x), .string(let y)): if !x.hasSameBytes(as: y) { return false }
            case (.array(let x), .array(let y)):
                guard x.count == y.count else { return false }
                pending.append(contentsOf: zip(x, y))
            case (.object(let x), .object(let y)):
                guard x.count == y.count else { return false }
                if x.count <= 16 {
                    for (key, value) in x.fields {
                        guard let i = y.index(of: key) else { return false }
                        pending.append((value, y.values[i]))
                    }
                } else {
                    var positions: [[UInt8]: Int] = [:]
                    for (i, key) in y.keys.enumerated() { positions[Array(key.utf8)] = i }
                    for (key, value) in x.fields {
                        guard let i = positions[Array(key.utf8)] else { return false }
                        pending.append((value, y.values[i]))
                    }
                }
            default: return false
            }
        }
        return true
    }

    /// Byte equality of two string values (owned or borrowed).
    @inline(__always)
    static func textEqual(_ a: Val, _ b: Val) -> Bool {
        switch (a, b) {
        // Bytes, not Swift's canonical equivalence: 'é' (one scalar) is not 'é' (e + accent),
        // as in CESQL's SDKs and as LIKE and borrowed strings compare.
        case (.string(let x), .string(let y)): return x.hasSameBytes(as: y)
        case (.raw(let x), .raw(let y)): return x.count == y.count && (x.count == 0 || memcmp(x.base, y.base, x.count) == 0)
        case (.raw(let x), .string(var y)), (.string(var y), .raw(let x)): return y.withUTF8 { x.equals($0) }
        default: return false
        }
    }

    /// Equality of a value with an element of an `IN` list or array: the element is cast to the
    /// left operand's type (CESQL 3.7's special rule for `IN`).
    @inline(__always)
    static func inEqual(_ l: Val, _ element: Val) -> Val {
        switch l {
        case .bool(let x):
            switch Cast.toBool(element) {
            case .bool(let y): return .bool(x == y)
            case let e: return e
            }
        case .int, .long, .double:
            let b = Cast.toNumber(element, like: l)
            if case .error = b { return b }
            return .bool(Val.numericOrder(l, b) == 0)
        case .string, .raw:
            let b = Cast.toString(element)
            if case .error = b { return b }
            return .bool(textEqual(l, b))
        case .array, .object:
            return equal(element, l)
        case .error:
            return l
        }
    }
}

enum ArithmeticOp: Sendable {
    case add, subtract, multiply, divide, remainder
}

enum ComparisonOp: Sendable {
    case less, lessOrEqual, greater, greaterOrEqual

    @inline(__always)
    func holds(_ order: Int) -> Bool {
        switch self {
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
    }
}

extension Val {
    /// The value of a number as a double.
    @inline(__always)
    var asDouble: Double {
        switch self {
        case .int(let i): return Double(i)
        case .long(let i): return Double(i)
        case .double(let d): return d
        default: return 0
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The iterative walks over `JSONValue`: equality, hashing and release. None recurses, so a
/// value nested any number of levels deep is safe on a small thread stack.
extension JSONValue {
    /// The elements of an array, or the fields of an object, one at a time.
    package struct Children {
        let keys: [String]?
        let values: [JSONValue]
        var index = 0

        package init(_ container: JSONValue) {
            switch container {
            case .array(let a): (keys, values) = (nil, a)
            case .object(let o): (keys, values) = (o.keys, o.values)
            default: (keys, values) = (nil, [])
            }
        }

        package var isObject: Bool { keys != nil }
        package var count: Int { values.count }

        package mutating func next() -> (key: String?, value: JSONValue)? {
            guard index < values.count else { return nil }
            defer { index += 1 }
            return (keys?[index], values[index])
        }
    }

    /// Structural equality: same kinds, same scalars (strings by Unicode canonical equivalence,
    /// as Swift's `String`), arrays element by element, objects with the same keys in the same
    /// order. (Expressions compare values by CESQL's rules instead.)
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        var pending: [(JSONValue, JSONValue)] = []
        var pair = (a, b)
        while true {
            switch pair {
            case (.null, .null): break
            case (.bool(let x), .bool(let y)): if x != y { return false }
            case (.int(let x), .int(let y)): if x != y { return false }
            case (.double(let x), .double(let y)): if x != y { return false }
            case (.string(let x), .string(let y)): if x != y { return false }
            case (.array(let x), .array(let y)):
                guard x.count == y.count else { return false }
                pending.append(contentsOf: zip(x, y))
            case (.object(let x), .object(let y)):
                guard x.keys == y.keys else { return false }
                pending.append(contentsOf: zip(x.values, y.values))
            default: return false
            }
            guard let next = pending.popLast() else { return true }
            pair = next
        }
    }

    public func hash(into hasher: inout Hasher) {
        var pending: [JSONValue] = []
        var value = self
        while true {
            switch value {
            case .null: hasher.combine(0 as UInt8)
            case .bool(let b):
                hasher.combine(1 as UInt8)
                hasher.combine(b)
            case .int(let i):
                hasher.combine(2 as UInt8)
                hasher.combine(i)
            case .double(let d):
                hasher.combine(3 as UInt8)
                hasher.combine(d)
            case .string(let s):
                hasher.combine(4 as UInt8)
                hasher.combine(s)
            case .array(let a):
                hasher.combine(5 as UInt8)
                hasher.combine(a.count)
                pending.append(contentsOf: a)
            case .object(let o):
                hasher.combine(6 as UInt8)
                hasher.combine(o.keys)
                pending.append(contentsOf: o.values)
            }
            guard let next = pending.popLast() else { return }
            value = next
        }
    }

    /// Releases a value without recursion. Swift releases a nested value by a recursive walk,
    /// which overflows a thread's stack for a value nested tens of thousands of levels deep; this
    /// takes such a value apart level by level instead. (Any value may be passed; shallow values
    /// gain nothing.)
    public static func release(_ value: consuming JSONValue) {
        var pending: [JSONValue] = [value]
        while let next = pending.popLast() {
            switch consume next {
            case .array(var a):
                while let element = a.popLast() { pending.append(element) }
            case .object(var o):
                var values = o.values
                o = JSONObject()
                while let element = values.popLast() { pending.append(element) }
            default: break
            }
        }
    }
}

extension JSONObject {
    public static func == (a: JSONObject, b: JSONObject) -> Bool { JSONValue.object(a) == JSONValue.object(b) }
    public func hash(into hasher: inout Hasher) { JSONValue.object(self).hash(into: &hasher) }
}

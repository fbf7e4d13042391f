/// Builds a `JSONValue` from a depth-first stream of values and container boundaries, without
/// recursion: what the iterative decoders (packed words, parser documents) feed.
package struct JSONValueBuilder {
    private struct Partial {
        var key: String?
        var isObject: Bool
        var keys: [String] = []
        var values: [JSONValue] = []
    }

    private var open: [Partial] = []
    /// The finished value (after the root's value or its `end`).
    package private(set) var result: JSONValue = .null

    package init() {}

    /// Adds a scalar (or finished) value: to the innermost open container, under `key` when it
    /// is an object, or as the result.
    package mutating func add(_ value: JSONValue, key: String?) {
        guard let top = open.indices.last else {
            result = value
            return
        }
        if open[top].isObject { open[top].keys.append(key ?? "") }
        open[top].values.append(value)
    }

    /// Opens an array or object, which later values go into until `end`.
    package mutating func begin(object: Bool, key: String?, capacity: Int = 0) {
        var partial = Partial(key: key, isObject: object)
        partial.values.reserveCapacity(capacity)
        if object { partial.keys.reserveCapacity(capacity) }
        open.append(partial)
    }

    /// Closes the innermost open container.
    package mutating func end() {
        let partial = open.removeLast()
        let value: JSONValue =
            partial.isObject ? .object(JSONObject(uncheckedKeys: partial.keys, values: partial.values)) : .array(partial.values)
        add(value, key: partial.key)
    }
}

extension PackedReader {
    /// The value at `i` as an owned `JSONValue`, decoded iteratively (any nesting depth).
    package func decode(_ i: Int) -> JSONValue { decode(i, maxDepth: .max)! }

    /// The value at `i` as an owned `JSONValue`, or nil when it holds more than `maxDepth`
    /// levels of nested containers.
    package func decode(_ i: Int, maxDepth: Int) -> JSONValue? {
        var builder = JSONValueBuilder()
        // The fields or elements left in each open container.
        var open: [(remaining: Int, isObject: Bool)] = []
        var k = i
        while true {
            var key: String?
            if let top = open.indices.last {
                if open[top].remaining == 0 {
                    open.removeLast()
                    builder.end()
                    if open.isEmpty { break }
                    continue
                }
                open[top].remaining -= 1
                if open[top].isObject {
                    key = string(k).string
                    k += size(k)
                }
            }
            switch tag(k) {
            case .null: builder.add(.null, key: key)
            case .false: builder.add(.bool(false), key: key)
            case .true: builder.add(.bool(true), key: key)
            case .int: builder.add(.int(Int64(bitPattern: words[k + 1])), key: key)
            case .double: builder.add(.double(Double(bitPattern: words[k + 1])), key: key)
            case .string: builder.add(.string(string(k).string), key: key)
            case .array, .object:
                let isObject = tag(k) == .object
                if open.count == maxDepth { return nil }
                builder.begin(object: isObject, key: key, capacity: payload(k))
                open.append((payload(k), isObject))
                k += 2
                continue
            }
            if open.isEmpty { break }
            k += size(k)
        }
        return builder.result
    }
}

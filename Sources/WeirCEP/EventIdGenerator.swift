/// Ids for the events the engine emits: `<declaration>-<n>`, where n counts that declaration's
/// emitted events from 1 (`high_value-1`, `high_value-2`, `order_metrics-1`).
///
/// Unique in a run, since declaration names are unique in a rule set and each has its own
/// counter (together with `source` `weir://<declaration>` the id is also unique in the
/// CloudEvents sense, source plus id). Deterministic: the engine emits in a deterministic order,
/// so the same input and rules give the same ids. The counters are part of a snapshot, so a
/// restored engine goes on where the snapshot left off.
package struct EventIdGenerator: Hashable, Sendable, Codable {
    /// The declaration names, by declaration index.
    package let declarations: [String]
    private var counters: [UInt64]

    /// A generator for the declarations of a rule set, in file order.
    package init(declarations: [String]) {
        self.declarations = declarations
        counters = Array(repeating: 0, count: declarations.count)
    }

    /// The next id for declaration number `declaration`.
    package mutating func next(for declaration: Int) -> String {
        counters[declaration] &+= 1
        let n = counters[declaration]
        var digits = 0
        var m = n
        repeat {
            digits += 1
            m /= 10
        } while m > 0
        // `<name>-<n>`, written in place at its exact length (an interpolation costs several
        // times more, and a capacity past 15 bytes would allocate even for a short id).
        return declarations[declaration].withUTF8Bytes { prefix in
            String(unsafeUninitializedCapacity: prefix.count + 1 + digits) { out in
                _ = out.initialize(fromContentsOf: prefix)
                out[prefix.count] = UInt8(ascii: "-")
                var rest = n
                for j in stride(from: prefix.count + digits, to: prefix.count, by: -1) {
                    out[j] = UInt8(ascii: "0") &+ UInt8(rest % 10)
                    rest /= 10
                }
                return prefix.count + 1 + digits
            }
        }
    }

    /// How many ids declaration number `declaration` has been given.
    package func issued(for declaration: Int) -> UInt64 { counters[declaration] }
}

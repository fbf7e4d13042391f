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
        var name = declarations[declaration]
        var n = counters[declaration]
        // `<name>-<n>`, written in place (an interpolation costs several times more).
        return name.withUTF8 { prefix in
            String(unsafeUninitializedCapacity: prefix.count + 21) { out in
                var i = 0
                for byte in prefix {
                    out[i] = byte
                    i += 1
                }
                out[i] = UInt8(ascii: "-")
                i += 1
                var digits = 0
                var m = n
                repeat {
                    digits += 1
                    m /= 10
                } while m > 0
                var j = i + digits
                repeat {
                    j -= 1
                    out[j] = UInt8(ascii: "0") &+ UInt8(n % 10)
                    n /= 10
                } while n > 0
                return i + digits
            }
        }
    }

    /// How many ids declaration number `declaration` has been given.
    package func issued(for declaration: Int) -> UInt64 { counters[declaration] }
}

import WeirCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The value of an AGGREGATE's GROUP BY for one event, as a dictionary key.
///
/// Equality is the expression language's: numbers by value (`1` and `1.0` are one group; `-0.0`
/// is `0`), strings by UTF-8 bytes (not Unicode canonical equivalence), arrays and objects by
/// their compact JSON text (so objects with the same fields in another order are two groups).
/// Building a key from a string of at most 15 UTF-8 bytes does not allocate (Swift stores such
/// strings inline).
package enum GroupKey: Hashable, Sendable {
    /// No GROUP BY: one group.
    case all
    /// GROUP BY gave no value (missing, JSON null): those events form one group of their own,
    /// as SQL groups NULLs together; its `key` is missing.
    case missing
    case bool(Bool)
    /// An integer, or a double with an integral value that fits 64 bits.
    case integer(Int64)
    /// A double with a fraction (or beyond 64-bit integers).
    case double(Double)
    case string(ByteString)
    /// An array or object: its compact JSON text (the identity) and its value.
    case composite(text: String, value: JSONValue)

    /// The key for a GROUP BY value. An evaluation error other than a missing value has no key:
    /// the engine counts the error and skips the event (recommended; nil here).
    package init?(_ value: Val) {
        switch value {
        case .error(.missingAttribute): self = .missing
        case .error: return nil
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .integer(Int64(i))
        case .long(let i): self = .integer(i)
        case .double(let d):
            if let i = Int64(exactly: d) { self = .integer(i) } else { self = .double(d) }
        case .string(let s): self = .string(ByteString(s))
        case .raw(let r): self = .string(ByteString(r.string))
        case .array, .object:
            guard let json = value.json else { return nil }
            self = .composite(text: JSONWriter.string(json), value: json)
        }
    }

    /// The key for a JSON value (`.null` is `.missing`).
    package init(json: JSONValue) {
        self = GroupKey(Val(json, narrow: false)) ?? .missing
    }

    /// The value of `key` in HAVING and EMIT: missing for `.all` and `.missing`.
    package var value: Val {
        switch self {
        case .all, .missing: return .error(.missingAttribute)
        case .bool(let b): return .bool(b)
        case .integer(let i): return .long(i)
        case .double(let d): return .double(d)
        case .string(let s): return .string(s.string)
        case .composite(_, let v): return Val(v, narrow: false)
        }
    }
}

/// A string compared and hashed by its UTF-8 bytes.
package struct ByteString: Hashable, Sendable, Codable {
    package var string: String

    package init(_ string: String) { self.string = string }

    package static func == (a: ByteString, b: ByteString) -> Bool { a.string.hasSameBytes(as: b.string) }

    package func hash(into hasher: inout Hasher) {
        var s = string
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    package init(from decoder: any Decoder) throws {
        string = try decoder.singleValueContainer().decode(String.self)
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(string)
    }
}

extension GroupKey: Codable {
    private enum CodingKeys: String, CodingKey { case all, missing, value }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if c.contains(.all) {
            self = .all
        } else if c.contains(.missing) {
            self = .missing
        } else {
            self = GroupKey(json: try c.decode(CodableJSON.self, forKey: .value).value)
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .all: try c.encode(true, forKey: .all)
        case .missing: try c.encode(true, forKey: .missing)
        default:
            // Every other key is rebuilt exactly from its JSON value.
            if let json = value.json { try c.encode(CodableJSON(json), forKey: .value) }
        }
    }
}

extension GroupKey {
    /// A seeded 64-bit hash, equal for equal keys: a string key hashes its UTF-8 bytes exactly as
    /// `hash(bytes:seed:)` does, so an event's borrowed string can be looked up without building
    /// a key.
    package func hash(seed: UInt64) -> UInt64 {
        switch self {
        case .all: return GroupHash.mix(seed ^ 0x243F_6A88_85A3_08D3)
        case .missing: return GroupHash.mix(seed ^ 0x1319_8A2E_0370_7344)
        case .bool(let b): return GroupHash.mix(seed ^ (b ? 0xA409_3822_299F_31D0 : 0x082E_FA98_EC4E_6C89))
        case .integer(let i): return GroupHash.mix((seed ^ 0x4528_21E6_38D0_1377) &+ UInt64(bitPattern: i) &* 0x9E37_79B9_7F4A_7C15)
        case .double(let d): return GroupHash.mix((seed ^ 0xBE54_66CF_34E9_0C6C) &+ d.bitPattern &* 0x9E37_79B9_7F4A_7C15)
        case .string(let s):
            var text = s.string
            return text.withUTF8 { GroupKey.hash(bytes: $0, seed: seed) }
        case .composite(let text, _):
            var text = text
            return text.withUTF8 { GroupKey.hash(bytes: $0, seed: seed ^ 0xC0AC_29B7_C97C_50DD) }
        }
    }

    /// The hash of a string key with these UTF-8 bytes (`hash(seed:)` of `.string`). Up to 16
    /// bytes (the usual key) are read with two loads and no loop, so that the branches do not
    /// depend on the length byte by byte.
    @inline(__always)
    package static func hash(bytes: UnsafeBufferPointer<UInt8>, seed: UInt64) -> UInt64 {
        let raw = UnsafeRawBufferPointer(bytes)
        var h = seed ^ (UInt64(truncatingIfNeeded: raw.count) &* 0x9E37_79B9_7F4A_7C15)
        if raw.count <= 16 {
            let (a, b) = GroupHash.words(raw)
            h = (h ^ a) &* 0xBF58_476D_1CE4_E5B9
            h = (h ^ (h >> 31) ^ b) &* 0x94D0_49BB_1331_11EB
            return GroupHash.mix(h)
        }
        var i = 0
        while i + 8 <= raw.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        // The last 8 bytes (overlapping what was read): the length is in the seed.
        h = (h ^ raw.loadUnaligned(fromByteOffset: raw.count - 8, as: UInt64.self)) &* 0x94D0_49BB_1331_11EB
        return GroupHash.mix(h)
    }

    /// Whether this is the string key with these UTF-8 bytes.
    @inline(__always)
    package func isString(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard case .string(let s) = self else { return false }
        var text = s.string
        return text.withUTF8 { mine in
            mine.count == bytes.count && (bytes.count == 0 || memcmp(mine.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
    }
}

/// The hash helpers of the window index.
enum GroupHash {
    /// A finaliser that spreads every input bit over the result (MurmurHash3's fmix64).
    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var h = x
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h = h &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h
    }

    /// Two words that, with the count, determine up to 16 bytes exactly: overlapping loads of the
    /// first and last 8 (or 4) bytes, or for 1 to 3 bytes the first, middle and last.
    @inline(__always)
    static func words(_ b: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        let n = b.count
        if n >= 8 { return (b.loadUnaligned(as: UInt64.self), b.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) }
        if n >= 4 {
            return (UInt64(b.loadUnaligned(as: UInt32.self)), UInt64(b.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)))
        }
        if n > 0 { return (UInt64(b[0]) << 16 | UInt64(b[n >> 1]) << 8 | UInt64(b[n - 1]), 0) }
        return (0, 0)
    }

    /// A seed that differs from process to process (Swift's own per-process hash seed), so that
    /// input crafted to collide in the index cannot be prepared in advance.
    static var processSeed: UInt64 {
        var hasher = Hasher()
        hasher.combine(0x5765_6972 as UInt64)
        return UInt64(bitPattern: Int64(hasher.finalize()))
    }
}

import WeirCore

/// CESQL's string functions (section 3.5.1) plus Weir's `SIZE`, `STARTS_WITH`, `ENDS_WITH`, `CONTAINS`.
/// Lengths and positions count Unicode scalars.
enum StringFunctions {
    static let all: [Function] = [
        Function("LENGTH", "LENGTH(x: String) -> Integer (Weir: also the length of an array or object)", arity: 1...1, [.any], returns: .int, body: length),
        Function("SIZE", "SIZE(x) -> Integer: scalars of a string, elements of an array, fields of an object", arity: 1...1, [.any], returns: .int, weirOnly: true, body: length),
        Function("CONCAT", "CONCAT(x1: String, ...) -> String", arity: 0...0, variadic: true, [.string], returns: .string) { args in
            .string(args.map { $0.stringValue ?? "" }.joined())
        },
        Function("CONCAT_WS", "CONCAT_WS(delimiter: String, x1: String, ...) -> String", arity: 1...1, variadic: true, [.string], returns: .string) { args in
            .string(args.dropFirst().map { $0.stringValue ?? "" }.joined(separator: args[0].stringValue ?? ""))
        },
        Function("LOWER", "LOWER(x: String) -> String", arity: 1...1, [.string], returns: .string) { args in
            .string((args[0].stringValue ?? "").lowercased())
        },
        Function("UPPER", "UPPER(x: String) -> String", arity: 1...1, [.string], returns: .string) { args in
            .string((args[0].stringValue ?? "").uppercased())
        },
        Function("TRIM", "TRIM(x: String) -> String", arity: 1...1, [.string], returns: .string) { args in
            let s = args[0].scalars
            guard let first = s.firstIndex(where: { !$0.properties.isWhitespace }) else { return .string("") }
            let last = s.lastIndex(where: { !$0.properties.isWhitespace })!
            return .string(String(s[first...last]))
        },
        Function("LEFT", "LEFT(x: String, n: Integer) -> String", arity: 2...2, [.string, .integer], returns: .string,
                 fallback: { .string($0[0].stringValue ?? "") }) { args in
            guard case .int(let n) = args[1], n >= 0 else { return .error(.functionEvaluation) }
            return .string(String(args[0].scalars.prefix(Int(n))))
        },
        Function("RIGHT", "RIGHT(x: String, n: Integer) -> String", arity: 2...2, [.string, .integer], returns: .string,
                 fallback: { .string($0[0].stringValue ?? "") }) { args in
            guard case .int(let n) = args[1], n >= 0 else { return .error(.functionEvaluation) }
            return .string(String(args[0].scalars.suffix(Int(n))))
        },
        Function("SUBSTRING", "SUBSTRING(x: String, pos: Integer [, len: Integer]) -> String", arity: 2...3, [.string, .integer, .integer], returns: .string, body: substring),
        Function("STARTS_WITH", "STARTS_WITH(x: String, prefix: String) -> Boolean", arity: 2...2, [.string, .string], returns: .bool, weirOnly: true) { args in
            .bool(args[0].withUTF8 { s in args[1].withUTF8 { p in s.count >= p.count && (p.count == 0 || memcmp(s.baseAddress!, p.baseAddress!, p.count) == 0) } ?? false } ?? false)
        },
        Function("ENDS_WITH", "ENDS_WITH(x: String, suffix: String) -> Boolean", arity: 2...2, [.string, .string], returns: .bool, weirOnly: true) { args in
            .bool(args[0].withUTF8 { s in args[1].withUTF8 { p in s.count >= p.count && (p.count == 0 || memcmp(s.baseAddress! + (s.count - p.count), p.baseAddress!, p.count) == 0) } ?? false } ?? false)
        },
        Function("CONTAINS", "CONTAINS(x: String, part: String) -> Boolean", arity: 2...2, [.string, .string], returns: .bool, weirOnly: true) { args in
            .bool(args[0].withUTF8 { s in args[1].withUTF8 { p in LikePattern.contains(s, p) } ?? false } ?? false)
        },
    ]

    @Sendable static func length(_ args: Arguments) -> Val {
        switch args[0] {
        case .array(let a): return .int(Int32(clamping: a.count))
        case .object(let o): return .int(Int32(clamping: o.count))
        case let v: return .int(Int32(clamping: Cast.toString(v).scalars.count))
        }
    }

    @Sendable static func substring(_ args: Arguments) -> Val {
        let s = Array(args[0].scalars)
        guard case .int(let pos) = args[1] else { return .error(.functionEvaluation) }
        let n = s.count
        if pos == 0 { return .string("") }
        if Int(pos) > n || Int(pos) < -n { return .error(.functionEvaluation) }
        let start = pos > 0 ? Int(pos) - 1 : n + Int(pos)
        var end = n
        if args.count == 3 {
            guard case .int(let len) = args[2], len >= 0 else { return .error(.functionEvaluation) }
            end = min(n, start + Int(len))
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: s[start..<end])
        return .string(String(out))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

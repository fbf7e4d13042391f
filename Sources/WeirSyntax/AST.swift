/// An expression of the Weir language (a strict superset of CloudEvents SQL v1), as parsed:
/// a value tree in which every node carries the source range it was parsed from.
public struct Expr: Hashable, Sendable {
    public var kind: Kind
    public var range: SourceRange

    public init(_ kind: Kind, _ range: SourceRange) {
        self.kind = kind
        self.range = range
    }

    public indirect enum Kind: Hashable, Sendable {
        /// `42`, `-7` (a minus sign before an integer literal is folded into it),
        /// `9007199254740993` (beyond 32 bits: a Weir extension).
        case integer(Int64)
        /// `59.98`, `1e3` (a Weir extension).
        case decimal(Double)
        /// `'text'` or `"text"`, escapes resolved (`\'` in '…', `\"` in "…", `\\`).
        case string(String)
        /// `TRUE`, `false` (case-insensitive).
        case boolean(Bool)
        /// `subject`, `myext`: a CloudEvents attribute of the current event, as written.
        case identifier(String)
        /// `data.a.b`, `data.items[0]`, `data['odd-key']`, `login.data.userId`:
        /// a root name (as written) followed by one or more selectors (a Weir extension).
        /// The compiler resolves the root name (an attribute, `data`, an alias, `window`).
        case path(root: String, selectors: [Selector])
        /// `last(fails).data.ip`, `(x).y`, `f(x)[0]`, `[1, 2][0]`: one or more selectors
        /// applied to any primary other than a name (a Weir extension); never empty. A
        /// name-rooted path is `.path`.
        case select(Expr, [Selector])
        /// `[a, b]`, `[]`: an array literal (a Weir extension); a trailing comma is allowed.
        case array([Expr])
        /// `{ key: value, 'odd key': v }`, `{}`: an object literal (a Weir extension), its
        /// fields in written order; keys are case-sensitive and distinct (a repeated key is a
        /// syntax error); a trailing comma is allowed. EMIT templates are object literals.
        case object([ObjectField])
        /// `250ms`, `30s`, `10m`, `1h`, `7d`, `1h30m`: a duration literal, in milliseconds
        /// (always > 0), read where an operand is expected (a Weir extension; in the CloudEvents
        /// SQL dialect such a word is an attribute name, as CESQL says).
        case duration(Int64)
        /// `NOT x`, `!x`, `-x`.
        case unary(UnaryOperator, Expr)
        /// `x + y`, `x = y`, `x AND y`, ...
        case binary(BinaryOperator, Expr, Expr)
        /// `x LIKE 'a%'`, `x NOT LIKE 'a\%'`: the pattern literal's string value (string escapes such as
        /// `\'` resolved, LIKE's own `\%` and `\_` kept for the matcher) and the literal's range.
        case like(Expr, pattern: String, patternRange: SourceRange, negated: Bool)
        /// `x MATCHES 're'`, `x NOT MATCHES 're'`, `x =~ 're'`, `x !~ 're'` (a Weir extension): the pattern
        /// literal's string value and the literal's range.
        case matches(Expr, pattern: String, patternRange: SourceRange, negated: Bool)
        /// `x IN (a, b, c)`, `x NOT IN (a, b)`.
        case inList(Expr, [Expr], negated: Bool)
        /// `x IN data.list`, `x NOT IN data.list` (a Weir extension: membership in a JSON array).
        case inArray(Expr, Expr, negated: Bool)
        /// `EXISTS subject`, `EXISTS data.a.b` (paths are a Weir extension).
        case exists(Expr)
        /// `f(x, y)`: the name as written, its range, and the arguments.
        case call(name: String, nameRange: SourceRange, arguments: [Expr])
        /// A placeholder where the parser recovered from an error (a diagnostic was reported).
        case invalid
    }
}

/// One field of an object literal: `key: value` or `'odd key': value`.
public struct ObjectField: Hashable, Sendable {
    /// The key as written (a word) or the string literal's value.
    public var key: String
    /// Where the key is written (the word or the string literal).
    public var keyRange: SourceRange
    public var value: Expr

    public init(key: String, keyRange: SourceRange, value: Expr) {
        self.key = key
        self.keyRange = keyRange
        self.value = value
    }
}

/// One step of a path: `.key`, `['key']` or `[0]`.
public enum Selector: Hashable, Sendable {
    case key(String, SourceRange)
    case index(Int, SourceRange)
}

public enum UnaryOperator: String, Hashable, Sendable {
    /// `NOT x` or `!x`.
    case not
    /// `-x`.
    case negate
}

/// Binary operators; the spellings each accepts are listed with the case.
public enum BinaryOperator: String, Hashable, Sendable, CaseIterable {
    /// `*`
    case multiply
    /// `/`
    case divide
    /// `%`
    case remainder
    /// `+`
    case add
    /// `-`
    case subtract
    /// `=` or `==`
    case equal
    /// `!=` or `<>`
    case notEqual
    /// `<`
    case less
    /// `<=`
    case lessOrEqual
    /// `>`
    case greater
    /// `>=`
    case greaterOrEqual
    /// `AND` or `&&`
    case and
    /// `OR` or `||`
    case or
    /// `XOR`
    case xor

    /// The canonical (CESQL) spelling.
    public var symbol: String {
        switch self {
        case .multiply: return "*"
        case .divide: return "/"
        case .remainder: return "%"
        case .add: return "+"
        case .subtract: return "-"
        case .equal: return "="
        case .notEqual: return "!="
        case .less: return "<"
        case .lessOrEqual: return "<="
        case .greater: return ">"
        case .greaterOrEqual: return ">="
        case .and: return "AND"
        case .or: return "OR"
        case .xor: return "XOR"
        }
    }
}

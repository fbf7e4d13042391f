extension Expr {
    /// A deterministic, indented dump of the tree, one node per line with the `line:column`
    /// where it starts, for golden tests and `--dump-ast`:
    ///
    ///     binary and @1:1
    ///       binary greater @1:1
    ///         path data.totalAmount @1:1
    ///         integer 1000 @1:20
    ///       binary equal @1:29
    ///         path data.shippingAddress.country @1:29
    ///         string 'USA' @1:60
    ///
    /// Strings and patterns are shown quoted and re-escaped (`'it\'s'`). No final newline.
    /// Walks the tree with an explicit stack, so any depth is safe.
    public func dump(in source: SourceFile) -> String {
        var lines: [String] = []
        var stack: [(expr: Expr, indent: Int)] = [(self, 0)]
        while let (expr, indent) = stack.popLast() {
            let position = source.position(of: expr.range.start)
            lines.append(String(repeating: "  ", count: indent) + expr.dumpLabel + " @" + position)
            for child in expr.children.reversed() {
                stack.append((child, indent + 1))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The direct sub-expressions, in source order.
    var children: [Expr] {
        switch kind {
        case .integer, .decimal, .string, .boolean, .identifier, .path, .invalid:
            return []
        case .unary(_, let operand), .exists(let operand):
            return [operand]
        case .binary(_, let left, let right), .inArray(let left, let right, _):
            return [left, right]
        case .like(let operand, _, _, _), .matches(let operand, _, _, _):
            return [operand]
        case .inList(let operand, let elements, _):
            return [operand] + elements
        case .call(_, _, let arguments):
            return arguments
        }
    }

    /// The node's line in a dump, without position or children.
    var dumpLabel: String {
        switch kind {
        case .integer(let value): return "integer \(value)"
        case .decimal(let value): return "decimal \(value)"
        case .string(let value): return "string \(Expr.quoted(value))"
        case .boolean(let value): return "boolean \(value)"
        case .identifier(let name): return "identifier \(name)"
        case .path(let root, let selectors): return "path \(Expr.pathText(root: root, selectors: selectors))"
        case .unary(let op, _): return "unary \(op.rawValue)"
        case .binary(let op, _, _): return "binary \(op.rawValue)"
        case .like(_, let pattern, _, let negated): return (negated ? "not like " : "like ") + Expr.quoted(pattern)
        case .matches(_, let pattern, _, let negated): return (negated ? "not matches " : "matches ") + Expr.quoted(pattern)
        case .inList(_, _, let negated): return negated ? "not in list" : "in list"
        case .inArray(_, _, let negated): return negated ? "not in array" : "in array"
        case .exists: return "exists"
        case .call(let name, _, _): return "call \(name)"
        case .invalid: return "invalid"
        }
    }

    /// A path as it could be written: `data.items[0].price`, `data['odd-key']`.
    package static func pathText(root: String, selectors: [Selector]) -> String {
        var text = root
        for selector in selectors {
            switch selector {
            case .key(let key, _):
                if !key.isEmpty, key.utf8.allSatisfy(ByteClass.isWordByte) {
                    text += "." + key
                } else {
                    text += "[" + quoted(key) + "]"
                }
            case .index(let index, _):
                text += "[\(index)]"
            }
        }
        return text
    }

    /// `value` as a single-quoted string literal: `\` and `'` escaped with a backslash,
    /// control characters as `\u{..}` (for display only; Weir has no `\u` escape).
    package static func quoted(_ value: String) -> String {
        var out = "'"
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "'": out += "\\'"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "'"
    }
}

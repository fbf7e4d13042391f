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
    /// Strings and patterns are shown quoted and re-escaped (`'it\'s'`). An object literal
    /// shows each field as `field key @L:C` with its value below; `select .a[0]`, `array 2`,
    /// `object 2`, `duration 600000ms` name the Weir operands. No final newline.
    /// Walks the tree with an explicit stack, so any depth is safe.
    public func dump(in source: SourceFile) -> String {
        var lines: [String] = []
        dump(in: source, indent: 0, into: &lines)
        return lines.joined(separator: "\n")
    }

    /// Appends the dump's lines, each indented by `indent` more levels (for declaration dumps).
    /// An object literal's fields are lines `field key @L:C` with the value one level below.
    package func dump(in source: SourceFile, indent baseIndent: Int, into lines: inout [String]) {
        var stack: [(item: DumpItem, indent: Int)] = [(.expr(self), baseIndent)]
        while let (item, indent) = stack.popLast() {
            let pad = String(repeating: "  ", count: indent)
            switch item {
            case .field(let field):
                lines.append(pad + "field " + Expr.quotedKeyIfNeeded(field.key) + " @" + source.position(of: field.keyRange.start))
                stack.append((.expr(field.value), indent + 1))
            case .expr(let expr):
                lines.append(pad + expr.dumpLabel + " @" + source.position(of: expr.range.start))
                if case .object(let fields) = expr.kind {
                    for field in fields.reversed() { stack.append((.field(field), indent + 1)) }
                } else {
                    for child in expr.children.reversed() { stack.append((.expr(child), indent + 1)) }
                }
            }
        }
    }

    private enum DumpItem {
        case expr(Expr)
        case field(ObjectField)
    }

    /// A key as written in a path or object: bare if it is a word, else quoted.
    package static func quotedKeyIfNeeded(_ key: String) -> String {
        !key.isEmpty && key.utf8.allSatisfy(ByteClass.isWordByte) ? key : quoted(key)
    }

    /// The direct sub-expressions, in source order (an object's field values).
    package var children: [Expr] {
        switch kind {
        case .integer, .decimal, .string, .boolean, .identifier, .path, .duration, .invalid:
            return []
        case .select(let base, _):
            return [base]
        case .array(let elements):
            return elements
        case .object(let fields):
            return fields.map(\.value)
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
        case .select(_, let selectors): return "select \(Expr.pathText(root: "", selectors: selectors))"
        case .array(let elements): return "array \(elements.count)"
        case .object(let fields): return "object \(fields.count)"
        case .duration(let milliseconds): return "duration \(milliseconds)ms"
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

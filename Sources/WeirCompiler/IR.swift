import WeirCore
import WeirSyntax

/// The checked, resolved form of an expression: names resolved to field paths, functions to
/// their definitions, patterns compiled, types known where they can be. Built by `Lowering`,
/// folded by `ConstantFolding`, turned into an evaluator by `EvaluatorBuilder`.
struct Node: Sendable {
    indirect enum Op: Sendable {
        case constant(Val)
        /// Read a field path. `stringify` applies CESQL 3.2 in `--dialect cesql`: a value that
        /// is not a CESQL primitive is represented as a String.
        case path(FieldPath, stringify: Bool)
        case exists(FieldPath)
        case not(Node)
        case negate(Node)
        case arithmetic(ArithmeticOp, Node, Node)
        case compare(ComparisonOp, Node, Node)
        case equal(Node, Node, negated: Bool)
        case and(Node, Node)
        case or(Node, Node)
        case xor(Node, Node)
        case like(Node, LikePattern, negated: Bool)
        case matches(Node, Regex, negated: Bool)
        case inList(Node, [Node], negated: Bool)
        case inArray(Node, Node, negated: Bool)
        case call(Function, [Node])
        case coalesce([Node])
        /// A call no function answers: `false` plus a missingFunction error (CESQL 3.5).
        case missingFunction
        /// A value bound in the activation (`key`, `window.start`, an aggregate's result).
        case slot(Int)
        /// `[a, b]`: an erring element is JSON `null` (positions are kept).
        case array([Node])
        /// `{ k: v }`: a field whose value errs is left out.
        case object([LoweredField])
        /// `f(x).a[0]`, `(x).y`: selectors applied to the value of any expression.
        case select(Node, [FieldPath.Step])
    }

    var op: Op
    var type: StaticType
    var range: SourceRange

    init(_ op: Op, _ type: StaticType, _ range: SourceRange) {
        self.op = op
        self.type = type
        self.range = range
    }

    /// The constant value of this node, if folding made it one.
    var constant: Val? {
        if case .constant(let v) = op { return v }
        return nil
    }

    /// The nodes this node evaluates, in order.
    var children: [Node] {
        switch op {
        case .constant, .path, .exists, .missingFunction, .slot: return []
        case .not(let a), .negate(let a), .like(let a, _, _), .matches(let a, _, _), .select(let a, _): return [a]
        case .arithmetic(_, let a, let b), .compare(_, let a, let b), .equal(let a, let b, _), .and(let a, let b),
            .or(let a, let b), .xor(let a, let b), .inArray(let a, let b, _):
            return [a, b]
        case .inList(let a, let list, _): return [a] + list
        case .call(_, let args), .coalesce(let args), .array(let args): return args
        case .object(let fields): return fields.map(\.value)
        }
    }

    /// The height of the tree below this node (a leaf is 1), found without recursion.
    var height: Int {
        var tallest = 0
        var stack: [(Node, Int)] = [(self, 1)]
        while let (node, level) = stack.popLast() {
            tallest = max(tallest, level)
            for child in node.children { stack.append((child, level + 1)) }
        }
        return tallest
    }

    /// Whether the node reads the event (anywhere below it).
    var readsEvent: Bool {
        switch op {
        case .path, .exists: return true
        default: return children.contains { $0.readsEvent }
        }
    }
}

/// One field of an object literal: its key and the node giving its value.
struct LoweredField: Sendable {
    var key: String
    var value: Node
}

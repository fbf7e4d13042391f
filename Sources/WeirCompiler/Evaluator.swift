import WeirCore

/// A compiled evaluator over one kind of event source: a tree of closures, one per node, with
/// the common shapes (a path compared with a constant, AND/OR of Booleans) specialised.
typealias Evaluator<S: Activation> = @Sendable (S) -> Val

/// Builds evaluators from checked nodes. Generic over the event source so that the owned
/// `Event` and the parser's `DocumentView` each get direct, specialised code.
enum EvaluatorBuilder<S: Activation> {
    static func build(_ n: Node) -> Evaluator<S> {
        switch n.op {
        case .constant(let v):
            return { _ in v }
        case .path(let path, let stringify):
            if stringify { return { s in cesqlAttribute(s.value(at: path)) } }
            return { s in s.value(at: path) }
        case .exists(let path):
            return { s in .bool(s.contains(path)) }
        case .not(let a):
            let x = build(a)
            return { s in
                switch Cast.toBool(x(s)) {
                case .bool(let b): return .bool(!b)
                case let e: return e
                }
            }
        case .negate(let a):
            let x = build(a)
            return { s in Operators.negate(x(s)) }
        case .arithmetic(let op, let a, let b):
            let x = build(a)
            let y = build(b)
            return { s in
                let l = x(s)
                if case .error = l { return l }
                return Operators.arithmetic(op, l, y(s))
            }
        case .compare(let op, let a, let b):
            return compare(op, a, b)
        case .equal(let a, let b, let negated):
            return equal(a, b, negated: negated)
        case .and(let a, let b):
            let x = build(a)
            let y = build(b)
            return { s in
                switch Cast.toBool(x(s)) {
                case .bool(true): return Cast.toBool(y(s))
                case let other: return other
                }
            }
        case .or(let a, let b):
            let x = build(a)
            let y = build(b)
            return { s in
                switch Cast.toBool(x(s)) {
                case .bool(false): return Cast.toBool(y(s))
                case let other: return other
                }
            }
        case .xor(let a, let b):
            let x = build(a)
            let y = build(b)
            return { s in
                let left = Cast.toBool(x(s))
                guard case .bool(let l) = left else { return left }
                switch Cast.toBool(y(s)) {
                case .bool(let r): return .bool(l != r)
                case let e: return e
                }
            }
        case .like(let a, let pattern, let negated):
            let x = build(a)
            return { s in
                let v = Cast.toString(x(s))
                guard let m = v.withUTF8({ pattern.matches($0) }) else { return v }
                return .bool(m != negated)
            }
        case .matches(let a, let regex, let negated):
            let x = build(a)
            return { s in
                let v = Cast.toString(x(s))
                guard let m = v.withUTF8({ regex.search($0) }) else { return v }
                guard let found = m else { return .error(.functionEvaluation) }
                return .bool(found != negated)
            }
        case .inList(let a, let list, let negated):
            let x = build(a)
            let elements = list.map { build($0) }
            return { s in
                let l = x(s)
                if case .error = l { return l }
                for element in elements {
                    switch Operators.inEqual(l, element(s)) {
                    case .bool(true): return .bool(!negated)
                    case .bool(false): continue
                    case let e: return e
                    }
                }
                return .bool(negated)
            }
        case .inArray(let a, let b, let negated):
            let x = build(a)
            let y = build(b)
            return { s in
                let l = x(s)
                if case .error = l { return l }
                switch y(s) {
                case .array(let array):
                    // An element of another type does not match (no error): arrays may be mixed.
                    for element in array where element != .null {
                        if case .bool(true) = Operators.inEqual(l, Val(element, narrow: false)) { return .bool(!negated) }
                    }
                    return .bool(negated)
                case .error(let e): return .error(e)
                default: return .error(.cast)
                }
            }
        case .call(let function, let args):
            let general = call(function, args)
            // SIZE/LENGTH of a path: count an array's elements in place instead of copying it out.
            if function.name == "SIZE" || function.name == "LENGTH", args.count == 1,
                case .path(let path, false) = args[0].op
            {
                return { s in
                    if let count = s.containerCount(at: path) { return .int(Int32(clamping: count)) }
                    return general(s)
                }
            }
            return general
        case .coalesce(let args):
            let xs = args.map { build($0) }
            return { s in
                for x in xs {
                    let v = x(s)
                    if case .error(.missingAttribute) = v { continue }
                    return v
                }
                return .error(.missingAttribute)
            }
        case .missingFunction:
            return { _ in .error(.missingFunction) }
        case .slot(let i):
            return { s in s.slot(i) }
        case .array(let elements):
            let xs = elements.map { build($0) }
            return { s in .array(xs.map { $0(s).json ?? .null }) }
        case .object(let fields):
            let keys = fields.map(\.key)
            let xs = fields.map { build($0.value) }
            return { s in
                var object = JSONObject()
                for (key, x) in zip(keys, xs) {
                    if let v = x(s).json { object.appendUnchecked(key, v) }
                }
                return .object(object)
            }
        case .select(let a, let steps):
            let x = build(a)
            return { s in Selection.apply(steps, to: x(s)) }
        }
    }

    /// A call: arguments left to right, each cast to its parameter (failing fast), then the body.
    /// Arities 0 to 3 are specialised: the arguments stay in registers and an inline
    /// `Arguments`, so a call allocates no argument array per evaluation.
    /// `DISTANCE(a, b)`: a point read from the event (`data.location`) is read as its `lat` and
    /// `lon`, in place, rather than copied out as an object; anything else (and any point that
    /// is not two numbers in range) takes the general path, which gives the exact result.
    static func distance(_ function: Function, _ args: [Node]) -> Evaluator<S> {
        let general = args.map { build($0) }
        let points: [@Sendable (S) -> (lat: Double, lon: Double)?] = args.enumerated().map { i, node in
            let whole = general[i]
            guard case .path(let path, false) = node.op else {
                return { s in GeoFunctions.point(whole(s)) }
            }
            let lat = FieldPath(root: path.root, steps: path.steps + [.key("lat")])
            let lon = FieldPath(root: path.root, steps: path.steps + [.key("lon")])
            return { s in
                guard let a = GeoFunctions.number(s.value(at: lat)), let b = GeoFunctions.number(s.value(at: lon)),
                      abs(a) <= 90, abs(b) <= 180 else { return GeoFunctions.point(whole(s)) }
                return (a, b)
            }
        }
        let (p, q) = (points[0], points[1])
        let (x, y) = (general[0], general[1])
        return { s in
            if let a = p(s), let b = q(s) { return .double(GeoFunctions.haversine(a, b)) }
            // The general path: its errors (a missing point, a cast) as the call gives them.
            let a = function.cast(x(s), 0)
            if case .error = a { return a }
            let b = function.cast(y(s), 1)
            if case .error = b { return b }
            return function.body(Arguments(a, b))
        }
    }

    static func call(_ function: Function, _ args: [Node]) -> Evaluator<S> {
        if function.name == "DISTANCE", args.count == 2 { return distance(function, args) }
        let xs = args.map { build($0) }
        let body = function.body
        switch xs.count {
        case 0:
            return { _ in body(Arguments()) }
        case 1:
            let x = xs[0]
            return { s in
                let a = function.cast(x(s), 0)
                if case .error = a { return a }
                return body(Arguments(a))
            }
        case 2:
            let (x, y) = (xs[0], xs[1])
            return { s in
                let a = function.cast(x(s), 0)
                if case .error = a { return a }
                let b = function.cast(y(s), 1)
                if case .error = b { return b }
                return body(Arguments(a, b))
            }
        case 3:
            let (x, y, z) = (xs[0], xs[1], xs[2])
            return { s in
                let a = function.cast(x(s), 0)
                if case .error = a { return a }
                let b = function.cast(y(s), 1)
                if case .error = b { return b }
                let c = function.cast(z(s), 2)
                if case .error = c { return c }
                return body(Arguments(a, b, c))
            }
        default:
            return { s in
                var values: [Val] = []
                values.reserveCapacity(xs.count)
                for (i, x) in xs.enumerated() {
                    let v = function.cast(x(s), i)
                    if case .error = v { return v }
                    values.append(v)
                }
                return body(Arguments(values))
            }
        }
    }

    /// CESQL 3.2: an attribute value that is not a CESQL primitive is represented as a String.
    static func cesqlAttribute(_ v: Val) -> Val {
        switch v {
        case .bool, .int, .string, .raw, .error: return v
        default: return .string(Cast.text(v))
        }
    }

    // MARK: Specialised shapes

    static func compare(_ op: ComparisonOp, _ a: Node, _ b: Node) -> Evaluator<S> {
        // path <op> number constant: read, switch on the kind, compare in place.
        if case .path(let path, false) = a.op, let c = b.constant {
            switch c {
            case .int, .long, .double:
                return { s in
                    let v = s.value(at: path)
                    switch (v, c) {
                    case (.double(let x), .int(let y)): return .bool(op.holds(x < Double(y) ? -1 : (x == Double(y) ? 0 : 1)))
                    case (.long(let x), .int(let y)): return .bool(op.holds(x < Int64(y) ? -1 : (x == Int64(y) ? 0 : 1)))
                    default: return Operators.compare(op, v, c)
                    }
                }
            default: break
            }
        }
        let x = build(a)
        let y = build(b)
        return { s in
            let l = x(s)
            if case .error = l { return l }
            return Operators.compare(op, l, y(s))
        }
    }

    static func equal(_ a: Node, _ b: Node, negated: Bool) -> Evaluator<S> {
        // path = 'text': compare bytes in place, no String made.
        if case .path(let path, false) = a.op, case .string(let text)? = b.constant {
            let bytes = Array(text.utf8)
            let c = Val.string(text)
            return { s in
                let v = s.value(at: path)
                switch v {
                case .raw(let r):
                    return .bool(bytes.withUnsafeBufferPointer { r.equals($0) } != negated)
                case .string(let x): return .bool(x.utf8.elementsEqual(bytes) != negated)
                default:
                    switch Operators.equal(v, c) {
                    case .bool(let eq): return .bool(eq != negated)
                    case let e: return e
                    }
                }
            }
        }
        let x = build(a)
        let y = build(b)
        return { s in
            let l = x(s)
            if case .error = l { return l }
            switch Operators.equal(l, y(s)) {
            case .bool(let eq): return .bool(eq != negated)
            case let e: return e
            }
        }
    }
}

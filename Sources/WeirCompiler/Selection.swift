import WeirCore

/// Selectors applied to a computed value (`f(x).a[0]`, `(x).y`, `key.city`).
enum Selection {
    /// The value after `steps`: `.error(.missingAttribute)` when a step is absent, JSON
    /// `null`, or applied to a value that is not a container of its kind (as a path into an
    /// event reads); an error in `value` passes through.
    static func apply(_ steps: [FieldPath.Step], to value: Val) -> Val {
        if case .error = value { return value }
        guard !steps.isEmpty else { return value }
        var json: JSONValue
        switch value {
        case .array(let a): json = .array(a)
        case .object(let o): json = .object(o)
        default: return .error(.missingAttribute)
        }
        for step in steps {
            let next: JSONValue?
            switch step {
            case .key(let k): next = json[k]
            case .index(let i): next = json[i]
            }
            guard let next else { return .error(.missingAttribute) }
            json = next
        }
        return Val(json, narrow: false)
    }
}

import WeirBus

extension EventFilter {
    /// A filter from a compiled expression: an event passes when the expression is `true` for
    /// it with no error (CloudEvents SQL's filter rule).
    public init(_ expression: CompiledExpression) {
        self.init { expression.matches($0) }
    }

    /// A filter from an expression's text (`"data.total > 100 AND data.country = 'USA'"`).
    /// - Throws: `BusError.invalidFilter` with the rendered diagnostics when it does not compile.
    public init(_ expression: String, dialect: Dialect = .weir) throws(BusError) {
        do {
            self.init(try CompiledExpression(expression, dialect: dialect, name: "<filter>"))
        } catch {
            throw .invalidFilter(error.description)
        }
    }
}

extension EventBus {
    /// Subscribes to the events of `typePattern` for which the expression `filter` is `true`
    /// (see `subscribe(to:where:buffer:overflow:)`).
    ///
    /// ```swift
    /// let big = try await bus.subscribe(to: "order.*", where: "data.total > 1000")
    /// ```
    /// - Throws: `BusError.invalidFilter` when the expression does not compile, and the errors
    ///   of the other form.
    public func subscribe(
        to typePattern: String, where filter: String, buffer: Int = 1024, overflow: OverflowPolicy = .wait
    ) throws(BusError) -> Subscription {
        try subscribe(to: typePattern, where: EventFilter(filter), buffer: buffer, overflow: overflow)
    }

    /// Subscribes a handler to the events of `typePattern` for which the expression `filter`
    /// is `true` (see `subscribe(to:where:buffer:overflow:retry:handler:)`).
    @discardableResult
    public func subscribe(
        to typePattern: String, where filter: String, buffer: Int = 1024, overflow: OverflowPolicy = .wait,
        retry: RetryPolicy = .none, handler: @escaping @Sendable (Event) async throws -> Void
    ) throws(BusError) -> SubscriptionID {
        try subscribe(to: typePattern, where: EventFilter(filter), buffer: buffer, overflow: overflow, retry: retry, handler: handler)
    }
}

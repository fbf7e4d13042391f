/// ```
/// SAGA order_fulfillment
///   START ON 'order.placed' AS order
///   KEY order.data.orderId
///   TIMEOUT 5m
///   STEP reserve_inventory
///     SEND 'inventory.reserve' { orderId: order.data.orderId }
///     AWAIT 'inventory.reserved' AS reserved WHERE data.orderId = order.data.orderId WITHIN 30s
///     FAIL ON 'inventory.rejected' WHERE data.orderId = order.data.orderId
///     RETRY 3 EVERY 1s BACKOFF 2 MAX 30s
///     COMPENSATE 'inventory.release' { orderId: order.data.orderId }
///   ON COMPLETE EMIT 'order.fulfilled' { orderId: order.data.orderId }
///   ON FAILURE  EMIT 'order.failed' { orderId: order.data.orderId, reason: error.message }
/// ```
public struct SagaDeclaration: Hashable, Sendable {
    public var name: Name
    /// `START ON 'type' AS alias [WHERE cond]`: the event that starts an instance.
    public var start: SagaStart
    /// `KEY expr`: one instance per value (read on the start event; its alias is in scope).
    public var key: Expr
    /// `TIMEOUT d`: the whole saga's deadline, counted from its start.
    public var timeout: DurationLiteral?
    /// In written order (at least one).
    public var steps: [SagaStep]
    /// `ON COMPLETE EMIT` branches (first match, as RULE's without ALL).
    public var onComplete: [EmitClause]
    /// `ON FAILURE EMIT` branches; `error.message`, `error.kind`, `error.step`, `error.attempt`
    /// are in scope.
    public var onFailure: [EmitClause]
    public var range: SourceRange

    public init(
        name: Name, start: SagaStart, key: Expr, timeout: DurationLiteral?, steps: [SagaStep], onComplete: [EmitClause],
        onFailure: [EmitClause], range: SourceRange
    ) {
        self.name = name
        self.start = start
        self.key = key
        self.timeout = timeout
        self.steps = steps
        self.onComplete = onComplete
        self.onFailure = onFailure
        self.range = range
    }

    /// The event types it listens to: its start, and every reply it awaits or fails on.
    public var on: [EventTypePattern] {
        var types = [start.type]
        for step in steps {
            if let a = step.awaiting { types.append(a.type) }
            types += step.failOn.map(\.type)
            if let a = step.compensate?.awaiting { types.append(a.type) }
        }
        return types
    }
}

/// `START ON 'type' AS alias [WHERE cond]`.
public struct SagaStart: Hashable, Sendable {
    public var type: EventTypePattern
    public var alias: Name
    public var whereClause: Expr?
    public var range: SourceRange

    public init(type: EventTypePattern, alias: Name, whereClause: Expr?, range: SourceRange) {
        self.type = type
        self.alias = alias
        self.whereClause = whereClause
        self.range = range
    }
}

/// `STEP name SEND ... [AWAIT ...] [FAIL ON ...]* [RETRY ...] [COMPENSATE ...]`.
public struct SagaStep: Hashable, Sendable {
    public var name: Name
    /// `SEND 'type' { ... }`: the command (an EMIT without WHEN).
    public var send: EmitClause
    /// `AWAIT 'type' [AS alias] [WHERE cond] [WITHIN d]`: the reply that completes the step
    /// (absent: the step is done once its command is published).
    public var awaiting: SagaReply?
    /// `FAIL ON 'type' [WHERE cond]`: replies that fail the step, in written order.
    public var failOn: [SagaReply]
    public var retry: SagaRetry?
    /// `COMPENSATE 'type' { ... } [AWAIT 'type' [WHERE cond] WITHIN d]`.
    public var compensate: SagaCompensation?
    public var range: SourceRange

    public init(
        name: Name, send: EmitClause, awaiting: SagaReply?, failOn: [SagaReply], retry: SagaRetry?, compensate: SagaCompensation?,
        range: SourceRange
    ) {
        self.name = name
        self.send = send
        self.awaiting = awaiting
        self.failOn = failOn
        self.retry = retry
        self.compensate = compensate
        self.range = range
    }
}

/// A reply a saga waits for (`AWAIT`) or fails on (`FAIL ON`): `'type' [AS alias] [WHERE cond]
/// [WITHIN d]` (`AS` and `WITHIN` only in `AWAIT`).
public struct SagaReply: Hashable, Sendable {
    public var type: EventTypePattern
    public var alias: Name?
    public var whereClause: Expr?
    public var within: DurationLiteral?
    public var range: SourceRange

    public init(type: EventTypePattern, alias: Name?, whereClause: Expr?, within: DurationLiteral?, range: SourceRange) {
        self.type = type
        self.alias = alias
        self.whereClause = whereClause
        self.within = within
        self.range = range
    }
}

/// `RETRY n EVERY d [BACKOFF f] [MAX m]`: up to `n` more attempts, waiting d, d*f, d*f^2 ...
/// (capped at m) after each failure.
public struct SagaRetry: Hashable, Sendable {
    public var count: Int
    public var every: DurationLiteral
    /// The factor (1 when absent).
    public var backoff: Double?
    public var max: DurationLiteral?
    public var range: SourceRange

    public init(count: Int, every: DurationLiteral, backoff: Double?, max: DurationLiteral?, range: SourceRange) {
        self.count = count
        self.every = every
        self.backoff = backoff
        self.max = max
        self.range = range
    }
}

/// `COMPENSATE 'type' { ... } [AWAIT 'type' [WHERE cond] WITHIN d]`.
public struct SagaCompensation: Hashable, Sendable {
    /// The compensating command (an EMIT without WHEN).
    public var send: EmitClause
    /// Its confirmation, when written.
    public var awaiting: SagaReply?
    public var range: SourceRange

    public init(send: EmitClause, awaiting: SagaReply?, range: SourceRange) {
        self.send = send
        self.awaiting = awaiting
        self.range = range
    }
}

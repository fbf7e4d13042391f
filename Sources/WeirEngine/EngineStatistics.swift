import WeirCore

/// What one declaration did during a run (`weir run --stats`).
public struct DeclarationStatistics: Sendable, Hashable, Codable {
    /// The declaration's name.
    public var name: String
    /// `RULE`, `AGGREGATE` or `PATTERN`.
    public var kind = ""
    /// Events offered to it (events of a type it listens to).
    public var eventsIn = 0
    /// Events its WHERE accepted (all of them when it has none).
    public var matched = 0
    /// Events it emitted.
    public var emitted = 0
    /// Evaluation errors, by clause (`WHERE`, `WHEN`, `EMIT`, `GROUP BY`, `sum(...)`, `HAVING`)
    /// and CloudEvents SQL error kind (`missingAttribute`, `cast`, ...).
    public var errors: [String: [String: Int]] = [:]
    /// AGGREGATE: windows open now, and the most open at once.
    public var openWindows = 0
    /// AGGREGATE: the most windows open at once.
    public var peakOpenWindows = 0
    /// AGGREGATE: windows fired, and those whose HAVING rejected them.
    public var windowsFired = 0
    /// AGGREGATE: the fired windows whose HAVING did not hold (a subset of `windowsFired`).
    public var windowsRejected = 0
    /// AGGREGATE and PATTERN: events with no `time` before any timed event (no window or
    /// run can take them).
    public var untimed = 0
    /// PATTERN: runs started (forks of `THEN ANY` included).
    public var runsStarted = 0
    /// PATTERN: events bound to a live run (iterations and moves to a later step).
    public var runsAdvanced = 0
    /// PATTERN: runs that matched (`matched` counts the same).
    public var runsCompleted = 0
    /// PATTERN: runs whose windows passed before they matched.
    public var runsExpired = 0
    /// PATTERN: expired runs that emitted through `ON TIMEOUT EMIT`.
    public var runsTimedOut = 0
    /// PATTERN: runs ended by a negated step's event, or by a `NEXT` they could not meet.
    public var runsRejected = 0
    /// PATTERN: runs ended by a cap on live runs (overload policy `drop-oldest`).
    public var runsDropped = 0
    /// PATTERN: new runs not started because of a cap (overload policy `refuse-new`).
    public var runsRefused = 0
    /// PATTERN: runs ended by `AFTER MATCH SKIP PAST LAST EVENT`.
    public var runsDiscarded = 0
    /// PATTERN: runs live now, and the most live at once.
    public var liveRuns = 0
    public var peakRuns = 0
    /// PATTERN: partitions holding live runs now.
    public var partitions = 0
    /// PATTERN: the fixed size of one run (its record, slots and accumulators), in bytes;
    /// strings and collected values come on top.
    public var bytesPerRun = 0
    /// PATTERN: events whose PARTITION BY was missing or failed (in no partition).
    public var unpartitioned = 0
    /// SAGA: instances started, and those that ended completed, compensated, or failed to
    /// compensate (`compensation_failed`).
    public var sagasStarted = 0
    public var sagasCompleted = 0
    public var sagasCompensated = 0
    public var sagasCompensationFailed = 0
    /// SAGA: instances live now (waiting for a reply, a backoff or a confirmation).
    public var sagasWaiting = 0
    /// SAGA: timers scheduled and neither fired nor cancelled.
    public var sagaTimersPending = 0
    /// SAGA: starts for a KEY that already had a live instance (recorded in its history).
    public var duplicateStarts = 0
    /// SAGA: start events whose KEY was missing or failed.
    public var sagasWithoutKey = 0
    /// SAGA: replies no instance waited for.
    public var unmatchedReplies = 0
    /// SAGA: replies recorded and ignored: duplicates, late (after a timeout or during a
    /// backoff), to an old attempt, or to an instance that has ended.
    public var ignoredReplies = 0

    /// Counters at zero for the declaration `name`.
    public init(name: String) { self.name = name }

    /// The number of evaluation errors, all clauses and kinds.
    public var errorCount: Int { errors.values.reduce(0) { $0 + $1.values.reduce(0, +) } }

    mutating func countError(_ kind: EvaluationErrorKind, in clause: String) {
        errors[clause, default: [:]][kind.rawValue, default: 0] += 1
    }
}

/// What a run did (`weir run --stats`, `RuleEngine.statistics`).
public struct EngineStatistics: Sendable, Hashable, Codable {
    /// Input events processed (not late, not malformed).
    public var eventsIn = 0
    /// Input events later than the watermark, sent to the late output.
    public var late = 0
    /// Events emitted by every declaration.
    public var emitted = 0
    /// Events not published because their derivation chain was longer than the limit.
    public var derivationLimitDrops = 0
    /// Per declaration, in declaration order.
    public var declarations: [DeclarationStatistics]

    /// Counters at zero for the declarations named, in order.
    public init(declarations: [String]) {
        self.declarations = declarations.map(DeclarationStatistics.init)
    }
}

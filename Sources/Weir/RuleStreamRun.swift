import WeirCEP
import WeirCompiler
import WeirEngine
import WeirSyntax

/// What `weir run` does with a stream: every event read in place and offered to the rules,
/// every emitted event written as one JSON line in emission order, malformed and late events
/// handed back with their line numbers, and at the end of a finite input the watermark moved
/// past every deadline (unless `flush` is false).
package struct RuleStreamRun {
    package var lateness: Int64 = 0
    package var maxDerivation = 32
    /// The most live runs of one PATTERN, and what happens past it or past a `MAX RUNS`.
    package var maxRuns = 1_000_000
    package var overload = OverloadPolicy.dropOldest
    /// Keep ended saga instances, for `Summary.sagas`.
    package var keepSagas = false
    package var flush = true
    package var clock: (any Clock)?
    /// `--trace [EXPR]`: trace every event (an empty string) or those EXPR is true for.
    package var traceFilter: String?

    package init() {}

    /// What the run saw.
    package struct Summary: Sendable {
        package var statistics: EngineStatistics
        package var lines = 0
        package var malformed = 0
        package var derivationDrops: [(chain: [String], count: Int)] = []
        /// Every saga instance at the end (ended ones only with `keepSagas`).
        package var sagas: [SagaInstanceReport] = []
    }

    /// Compiles the trace filter; nil when there is none.
    /// - Throws: `CompileError` when it does not compile.
    package func traceProgram() throws(CompileError) -> ExpressionProgram?? {
        guard let traceFilter else { return nil }
        if traceFilter.isEmpty { return .some(nil) }
        return .some(try CompiledExpression(traceFilter, name: "<trace>").compiled)
    }

    /// Runs `rules` over `reader`. `emit` gets each emitted event (already as a JSON line in
    /// `line`), `late` each late input event, `rejected` each malformed line (also one whose
    /// `time` is not RFC 3339), `trace` each trace line.
    package func run(
        _ rules: RuleSet, reader: EventReader,
        emit: (UnsafeRawBufferPointer) throws -> Void,
        late: (LateEvent) throws -> Void,
        rejected: (RejectedLine) throws -> Void,
        trace: ((String) -> Void)?,
        progress: ((Int) -> Void)? = nil
    ) throws -> Summary {
        var options = EngineOptions()
        options.lateness = lateness
        options.maxDerivation = maxDerivation
        options.maxRuns = maxRuns
        options.overload = overload
        options.keepEndedSagas = keepSagas
        if let clock { options.time = .processing(clock) }
        var loop = StreamLoop(engine: RuleEngineCore(plan: rules.plan, options: options))
        if let filter = try traceProgram() { loop.engine.trace = Tracer(plan: rules.plan, filter: filter) }
        let stats = try loop.run(reader: reader, idle: clock != nil, emit: emit, late: late, rejected: rejected, trace: trace,
                                 progress: progress)
        loop.engine.finish(flush: flush)
        try loop.publish(emit: emit, late: late, trace: trace)
        let engine = loop.engine
        let malformedTimes = loop.malformedTimes
        var summary = Summary(statistics: engine.currentStatistics())
        summary.lines = stats.lines
        summary.malformed = stats.rejected + malformedTimes
        summary.derivationDrops = engine.derivationDrops
        summary.sagas = engine.sagaInstances()
        return summary
    }
}

/// The read loop's state, a value whose methods mutate it in place: the closures below capture
/// it as an `inout` `self`, so its accesses are checked statically, not once per event.
struct StreamLoop {
    var engine: RuleEngineCore
    var writer = JSONWriter(capacity: 1024)
    var pending = EngineOutputs()
    var malformedTimes = 0
    var idleFailure: (any Error)?

    init(engine: RuleEngineCore) { self.engine = engine }

    /// Hands what the engine produced to the caller: trace lines, late events, emitted events
    /// (each already written as one JSON line).
    mutating func publish(
        emit: (UnsafeRawBufferPointer) throws -> Void, late: (LateEvent) throws -> Void, trace: ((String) -> Void)?
    ) throws {
        guard engine.takeOutputs(into: &pending) else { return }
        if let failure = engine.failure { throw OverloadFailure(message: failure) }
        if let tracer = pending.tracer, let trace { for line in tracer.take() { trace(line) } }
        for event in pending.late { try late(event) }
        // Each event read where it is (a loop variable would be a copy: a retain and a release
        // per string of the event).
        for i in pending.emitted.indices {
            writer.bytes.removeAll(keepingCapacity: true)
            pending.emitted[i].write(to: &writer)
            writer.bytes.append(UInt8(ascii: "\n"))
            try writer.bytes.withUnsafeBytes { try emit($0) }
        }
    }

    mutating func run(
        reader: EventReader, idle: Bool,
        emit: (UnsafeRawBufferPointer) throws -> Void,
        late: (LateEvent) throws -> Void,
        rejected: (RejectedLine) throws -> Void,
        trace: ((String) -> Void)?,
        progress: ((Int) -> Void)?
    ) throws -> IngestStats {
        // Processing time: while no event arrives, the watermark follows the wall clock, so
        // windows still close on a quiet live stream. The tick never outlives this call.
        func tick() {
            guard idleFailure == nil else { return }
            engine.advanceToClock()
            do { try publish(emit: emit, late: late, trace: trace) } catch { idleFailure = error }
        }
        return try withoutActuallyEscaping(tick) { tick in
            if idle { reader.onIdle(every: 100, tick) }
            defer { reader.onIdle(every: 0, nil) }
            return try reader.forEach({ document, line in
                if let idleFailure { throw idleFailure }
                let outcome = Result { () throws(RuleEngineCore.Rejection) in try engine.offer(document: document, line: line) }
                if case .failure(.invalidTime(let text)) = outcome {
                    malformedTimes += 1
                    let json = Event(checkedDocument: document.root).jsonText
                    try rejected(RejectedLine(
                        line: line, reason: "attribute 'time' is not an RFC 3339 timestamp: '\(text)'", text: Array(json.utf8)))
                }
                if engine.hasOutputs { try publish(emit: emit, late: late, trace: trace) }
                progress?(line)
            }, rejected: rejected)
        }
    }
}

/// A cap on live PATTERN runs was reached under the overload policy `fail`.
package struct OverloadFailure: Error, Sendable, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}

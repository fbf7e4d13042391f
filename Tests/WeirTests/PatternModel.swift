/// A reference implementation of PATTERN's semantics (the lead's note, derived from LANGUAGE.md
/// sections 3 and 5), written independently of the engine and as plainly as possible: lists of
/// runs, every rule checked by direct search. `PatternModelTests` compares it with the engine on
/// random patterns and streams.
///
/// The event model is reduced to a type, a time in milliseconds, an optional partition key `k`
/// and an integer field `v`; the pattern family to 1-4 steps with THEN / NEXT / THEN ANY /
/// THEN NOT, quantifiers on later steps, per-step and header WITHIN, WHERE `data.v > K` or
/// `data.v = <alias>.data.v`, both AFTER MATCH modes and ON TIMEOUT EMIT.
enum PatternModel {
    /// An input event of the reduced model (`v` nil: the field is absent, and a condition on it
    /// errs, so is false); `arrival` is its position in the input.
    struct Event: Sendable, Hashable {
        var id: String
        var type: String
        var time: Int64
        var key: Int?
        var v: Int?
        var arrival: Int
    }

    /// How a step joins the pattern.
    enum Kind: Sendable, Hashable {
        case match, then, next, thenAny, not
    }

    /// A step's condition.
    enum Condition: Sendable, Hashable {
        /// `data.v > K`
        case greater(Int)
        /// `data.v = <alias of step i>.data.v`
        case equals(step: Int)
    }

    /// A quantifier as written, with its bounds (`max` nil: unbounded).
    struct Quantifier: Sendable, Hashable {
        var text: String
        var min: Int
        var max: Int?
    }

    struct Step: Sendable, Hashable {
        var alias: String
        var type: String
        var kind: Kind
        var quantifier: Quantifier?
        var condition: Condition?
        var within: Int64?

        var min: Int { quantifier?.min ?? 1 }
        var max: Int? { quantifier == nil ? 1 : quantifier!.max }
        var negated: Bool { kind == .not }
        /// Read with `alias.id` (no quantifier) rather than with aggregates (an optional step
        /// may be unbound, and is read with aggregates too).
        var single: Bool { quantifier == nil }
    }

    struct Pattern: Sendable, Hashable {
        var partitioned: Bool
        var within: Int64?
        var maxRuns: Int?
        var steps: [Step]
        var skipPast: Bool
        var onTimeout: Bool

        /// The rule text.
        var text: String {
            var t = "PATTERN p"
            if partitioned { t += " PARTITION BY data.k" }
            if let within { t += " WITHIN \(within)ms" }
            if let maxRuns { t += " MAX RUNS \(maxRuns)" }
            for (i, s) in steps.enumerated() {
                switch s.kind {
                case .match: t += "\n  MATCH "
                case .then: t += "\n  THEN "
                case .next: t += "\n  NEXT "
                case .thenAny: t += "\n  THEN ANY "
                case .not: t += "\n  THEN NOT "
                }
                t += "\(s.alias): '\(s.type)'\(s.quantifier?.text ?? "")"
                switch s.condition {
                case .greater(let k): t += " WHERE data.v > \(k)"
                case .equals(let j): t += " WHERE data.v = \(steps[j].alias).data.v"
                case nil: break
                }
                if let w = s.within { t += " WITHIN \(w)ms" }
                _ = i
            }
            if skipPast { t += "\n  AFTER MATCH SKIP PAST LAST EVENT" }
            t += "\n  EMIT 'out' { \(fields(timeout: false)) }"
            if onTimeout { t += "\n  ON TIMEOUT EMIT 'tmo' { \(fields(timeout: true)) }" }
            return t + "\n"
        }

        /// EMIT fields: `alias: alias.id` for single steps; `alias_n: count(alias)` (on a match
        /// only), `alias_f: first(alias).id`, `alias_l: last(alias).id` for quantified ones.
        func fields(timeout: Bool) -> String {
            var parts: [String] = []
            for s in steps where !s.negated {
                if s.single {
                    parts.append("\(s.alias): \(s.alias).id")
                } else {
                    if !timeout { parts.append("\(s.alias)_n: count(\(s.alias))") }
                    parts.append("\(s.alias)_f: first(\(s.alias)).id")
                    parts.append("\(s.alias)_l: last(\(s.alias)).id")
                }
            }
            return parts.joined(separator: ", ")
        }
    }

    /// One emitted event: its type (`out` or `tmo`), time and fields rendered as text.
    struct Output: Sendable, Hashable, CustomStringConvertible {
        var type: String
        var time: Int64
        var fields: [String: String]
        var description: String {
            "\(type)@\(time) {" + fields.keys.sorted().map { "\($0)=\(fields[$0]!)" }.joined(separator: ", ") + "}"
        }
    }

    /// What "the order runs started" means.
    enum RunOrder: Sendable {
        /// Run creation order (the semantics note): a THEN ANY fork is younger than every run
        /// that existed when it forked.
        case creation
        /// The time of the first bound event, then creation: a fork comes after its origin and
        /// the origin's earlier forks, before runs started later.
        case start
        /// The arrival of the first bound event (the creation of the run a fork descends from),
        /// then creation: what the engine does (a fork comes after its origin and the origin's
        /// earlier forks, before every run started by a later event, equal times included).
        case origin

        func before(_ x: Run, _ y: Run) -> Bool {
            switch self {
            case .creation: x.id < y.id
            case .start: (x.start, x.id) < (y.start, y.id)
            case .origin: (x.origin, x.id) < (y.origin, y.id)
            }
        }
    }

    /// A live run: the step of its latest bound event, the events bound per step, its times, its
    /// NEXT state and its timer.
    struct Run {
        var id: Int
        /// The id of the run this one descends from by THEN ANY forks (its own for a run an
        /// event started).
        var origin = 0
        var s: Int
        var c: Int
        var start: Int64
        var anchor: Int64
        var last: Int64
        var bound: [[Event]]
        /// Some partition event went unbound by this run since its last bound event.
        var broken = false
        var due: Int64?
        var timerSeq = 0
    }

    /// The ids of the events later than the watermark (the largest time seen minus `lateness`).
    static func lateIDs(_ events: [Event], lateness: Int64) -> Set<String> {
        var maxSeen: Int64?
        var late: Set<String> = []
        for e in events {
            if let m = maxSeen, e.time < m - lateness {
                late.insert(e.id)
                continue
            }
            maxSeen = max(maxSeen ?? e.time, e.time)
        }
        return late
    }

    /// Runs `pattern` over `events` (in arrival order; late ones are dropped, the others put in
    /// (time, arrival) order), then flushes: every deadline passes.
    ///
    /// `order` is the order in which a partition's runs see an event and in which runs that
    /// complete on one event emit: only THEN ANY forks can tell the two apart.
    static func run(_ pattern: Pattern, _ events: [Event], lateness: Int64 = 0, order: RunOrder = .creation) -> [Output] {
        machine(pattern, events, lateness: lateness, order: order).out
    }

    /// The model's state after the run and the flush: its outputs, and the runs still live
    /// (those with no deadline) in their partitions.
    static func machine(_ pattern: Pattern, _ events: [Event], lateness: Int64 = 0, order: RunOrder = .creation) -> Machine {
        let late = lateIDs(events, lateness: lateness)
        let ordered = events.filter { !late.contains($0.id) }.sorted { ($0.time, $0.arrival) < ($1.time, $1.arrival) }
        var m = Machine(p: pattern)
        m.order = order
        for e in ordered {
            m.fireTimers(before: e.time)
            m.handle(e)
        }
        m.fireTimers(before: nil)
        return m
    }

    /// The model's state: runs per partition key (nil: no PARTITION BY), the id and timer
    /// counters, the outputs.
    struct Machine {
        let p: Pattern
        var parts: [Int?: [Run]] = [:]
        var nextRun = 0
        var nextTimer = 0
        var out: [Output] = []
        var order = RunOrder.creation

        init(p: Pattern) { self.p = p }

        var n: Int { p.steps.count }
        /// Runs live now, and partitions holding them.
        var liveRuns: Int { parts.values.reduce(0) { $0 + $1.count } }
        var partitions: Int { parts.values.filter { !$0.isEmpty }.count }

        // MARK: step structure

        /// Negated steps a run at `s` must not see: those after `s` before the first required
        /// positive step (optional positive steps are looked past).
        func negationStretch(_ s: Int) -> [Int] {
            var ks: [Int] = []
            for j in (s + 1)..<n {
                let st = p.steps[j]
                if st.negated { ks.append(j) } else if st.min == 0 { continue } else { break }
            }
            return ks
        }

        /// Positive steps a run at `s` may move to: up to and including the first required one.
        func candidates(_ s: Int) -> [Int] {
            var js: [Int] = []
            for j in (s + 1)..<n where !p.steps[j].negated {
                js.append(j)
                if p.steps[j].min > 0 { break }
            }
            return js
        }

        /// Every step after `s` is optional or negated.
        func nothingRequiredAfter(_ s: Int) -> Bool {
            ((s + 1)..<n).allSatisfy { p.steps[$0].negated || p.steps[$0].min == 0 }
        }

        func below(_ c: Int, _ max: Int?) -> Bool { max == nil || c < max! }

        func holds(_ k: Int, _ e: Event, _ r: Run?) -> Bool {
            switch p.steps[k].condition {
            case nil: return true
            case .greater(let x): return e.v.map { $0 > x } ?? false
            case .equals(let j):
                guard let mine = e.v, let theirs = r!.bound[j][0].v else { return false }
                return mine == theirs
            }
        }

        func inWhole(_ r: Run, _ t: Int64) -> Bool { p.within == nil || t - r.start <= p.within! }

        // MARK: deadlines

        func deadline(_ r: Run) -> Int64? {
            var terms: [Int64?] = []
            let st = p.steps[r.s]
            if below(r.c, st.max) { terms.append(st.within.map { r.anchor + $0 }) }
            if r.c >= st.min {
                for j in candidates(r.s) { terms.append(p.steps[j].within.map { r.last + $0 }) }
                if nothingRequiredAfter(r.s) {
                    for k in (r.s + 1)..<n where p.steps[k].negated { terms.append(p.steps[k].within.map { r.last + $0 }) }
                }
            }
            var d: Int64? = terms.contains(where: { $0 == nil }) || terms.isEmpty ? nil : terms.map { $0! }.max()
            if let h = p.within { d = d.map { min($0, r.start + h) } ?? r.start + h }
            return d
        }

        mutating func reschedule(_ r: inout Run) {
            let d = deadline(r)
            if d != r.due || r.due == nil, d != nil {
                r.timerSeq = nextTimer
                nextTimer += 1
            }
            r.due = d
        }

        // MARK: outputs

        mutating func emit(_ r: Run, type: String, time: Int64, timeout: Bool) {
            var f: [String: String] = [:]
            for (i, s) in p.steps.enumerated() where !s.negated {
                let b = r.bound[i]
                if !timeout && !s.single { f["\(s.alias)_n"] = String(b.count) }
                guard !b.isEmpty else { continue }
                if s.single {
                    f[s.alias] = b[0].id
                } else {
                    f["\(s.alias)_f"] = b.first!.id
                    f["\(s.alias)_l"] = b.last!.id
                }
            }
            out.append(Output(type: type, time: time, fields: f))
        }

        // MARK: timers

        /// Fires, in (deadline, creation) order, every timer due before `time` (all when nil).
        mutating func fireTimers(before time: Int64?) {
            while true {
                var best: (key: Int?, index: Int, due: Int64, seq: Int)?
                for (key, runs) in parts {
                    for (i, r) in runs.enumerated() {
                        guard let d = r.due, time == nil || d < time! else { continue }
                        if best == nil || (d, r.timerSeq) < (best!.due, best!.seq) { best = (key, i, d, r.timerSeq) }
                    }
                }
                guard let b = best else { return }
                let r = parts[b.key]!.remove(at: b.index)
                if nothingRequiredAfter(r.s) && r.c >= p.steps[r.s].min {
                    emit(r, type: "out", time: b.due, timeout: false)
                    if p.skipPast { parts[b.key] = [] }
                } else if p.onTimeout {
                    emit(r, type: "tmo", time: b.due, timeout: true)
                }
            }
        }

        // MARK: events

        enum Outcome { case ignored, bound, completed, ended }

        /// What run `r` does with `e` (steps 1-4 of the note); a THEN ANY fork comes back in `fork`.
        func offer(_ r: inout Run, _ e: Event, fork: inout Run?) -> Outcome {
            let t = e.time
            let st = p.steps[r.s]
            // 1. negation
            if r.c >= st.min {
                for k in negationStretch(r.s) {
                    let ks = p.steps[k]
                    if ks.type == e.type, ks.within == nil || t - r.last <= ks.within!, inWhole(r, t), holds(k, e, r) {
                        return .ended
                    }
                }
            }
            // 2. another iteration
            if below(r.c, st.max), st.type == e.type, st.within == nil || t - r.anchor <= st.within!, inWhole(r, t),
               holds(r.s, e, r) {
                r.bound[r.s].append(e)
                r.c += 1
                r.last = t
                r.broken = false
                return r.s == n - 1 && r.c == st.max ? .completed : .bound
            }
            // 3. advance
            if r.c >= st.min {
                for j in candidates(r.s) {
                    let js = p.steps[j]
                    guard js.type == e.type, js.kind != .next || !r.broken, js.within == nil || t - r.last <= js.within!,
                          inWhole(r, t), holds(j, e, r) else { continue }
                    var moved = r
                    moved.bound[j].append(e)
                    moved.anchor = r.last
                    moved.s = j
                    moved.c = 1
                    moved.last = t
                    moved.broken = false
                    let done = j == n - 1 && js.max == 1
                    if js.kind == .thenAny {
                        fork = moved
                        r.broken = true
                        return .ignored
                    }
                    r = moved
                    return done ? .completed : .bound
                }
            }
            // 4. ignored
            r.broken = true
            if let mx = st.max, r.c == mx, !nothingRequiredAfter(r.s), candidates(r.s).allSatisfy({ p.steps[$0].kind == .next }) {
                return .ended
            }
            return .ignored
        }

        mutating func handle(_ e: Event) {
            guard p.steps.contains(where: { $0.type == e.type }) else { return }
            let key: Int?
            if p.partitioned {
                guard let k = e.key else { return }
                key = k
            } else {
                key = nil
            }
            var kept: [Run] = []
            var completed: [Run] = []
            for var r in parts[key] ?? [] {
                var fork: Run?
                switch offer(&r, e, fork: &fork) {
                case .ignored: kept.append(r)
                case .bound:
                    reschedule(&r)
                    kept.append(r)
                case .completed: completed.append(r)
                case .ended: break
                }
                if var f = fork {
                    f.origin = r.origin
                    f.id = nextRun
                    nextRun += 1
                    f.due = nil
                    if f.s == n - 1 && f.c == p.steps[f.s].max {
                        completed.append(f)
                    } else {
                        reschedule(&f)
                        kept.append(f)
                    }
                }
            }
            let first = p.steps[0]
            if first.type == e.type, holds(0, e, nil), !(p.skipPast && !completed.isEmpty) {
                var r = Run(id: nextRun, s: 0, c: 1, start: e.time, anchor: e.time, last: e.time,
                            bound: Array(repeating: [], count: n))
                r.origin = nextRun
                nextRun += 1
                r.bound[0] = [e]
                if n == 1 {
                    completed.append(r)
                } else {
                    reschedule(&r)
                    kept.append(r)
                }
            }
            completed.sort(by: order.before)
            kept.sort(by: order.before)
            if p.skipPast, let winner = completed.first {
                emit(winner, type: "out", time: e.time, timeout: false)
                kept = []
            } else {
                for r in completed { emit(r, type: "out", time: e.time, timeout: false) }
            }
            parts[key] = kept
        }
    }
}

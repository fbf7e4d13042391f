/// Every message text of `SagaChecker` (lower case, code in single quotes).
enum SagaCheckerMessages {
    /// The most retries a RETRY may ask for (the parser's limit too).
    static let retryLimit = 1000

    static func noSteps(_ name: String) -> String {
        "SAGA '\(name)' has no step: a saga sends at least one command"
    }

    static let noStepsFix = "add a step after KEY: STEP name SEND 'type' { ... } AWAIT 'reply' WITHIN 30s"

    static func duplicateStep(_ name: String) -> String {
        "step name '\(name)' is already used by an earlier step; each step needs its own name (error.step and the history name it)"
    }

    static let firstUsedHere = "first used here"

    static func duplicateAlias(_ alias: String) -> String {
        "alias '\(alias)' is already used in this saga; each START ON ... AS and AWAIT ... AS needs its own alias"
    }

    /// `reason`: what the alias would hide (`would hide the current event's 'data'`).
    static func aliasShadows(_ alias: String, _ reason: String) -> String {
        "alias '\(alias)' \(reason); choose another name"
    }

    static let hidesData = "would hide the current event's 'data'"

    static func hidesCompilerName(_ name: String) -> String {
        "would hide '\(name)', a name the compiler resolves"
    }

    static let hidesError = "would hide 'error', which ON FAILURE reads (error.message, error.kind, error.step, error.attempt)"

    static func hidesAttribute(_ name: String) -> String {
        "would hide the CloudEvents attribute '\(name)'"
    }

    static let isKeyword = "is a keyword"

    static func failOnWithoutAwait(_ step: String) -> String {
        "FAIL ON in step '\(step)', which has no AWAIT: a step without AWAIT is done once its command is published, so no reply can fail it"
    }

    static let addAwait = "add the reply the step waits for: AWAIT 'type' WITHIN 30s, before FAIL ON"

    static func retryWithoutAwait(_ step: String) -> String {
        "RETRY in step '\(step)', which has no AWAIT: a step without AWAIT is done once its command is published, so it never fails and there is nothing to retry"
    }

    static let addAwaitOrDropRetry = "add the reply the step waits for (AWAIT 'type' WITHIN 30s), or remove the RETRY"

    static func retryCount(_ count: Int) -> String {
        "RETRY \(count): a step is retried from 1 to \(retryLimit) times"
    }

    static func backoffBelowOne(_ factor: Double) -> String {
        "BACKOFF \(factor) is below 1: each wait would be shorter than the one before"
    }

    static let backoffFix = "use BACKOFF 1 (equal waits, the default) or more (BACKOFF 2 doubles each wait)"

    static func maxBelowEvery(max: Int64, every: Int64) -> String {
        "MAX \(durationText(max)) is shorter than EVERY \(durationText(every)): every wait is \(durationText(max)), and BACKOFF has no effect"
    }

    static func awaitWithoutDeadline(_ step: String, saga: String) -> String {
        "the AWAIT of step '\(step)' has no WITHIN and SAGA '\(saga)' has no TIMEOUT: an instance could wait for its reply forever"
    }

    static let awaitDeadlineFix = "add a deadline to the AWAIT (AWAIT 'type' WITHIN 30s), or to the whole saga (TIMEOUT 5m after KEY)"

    static func confirmationWithoutDeadline(_ step: String, saga: String) -> String {
        "the AWAIT after COMPENSATE in step '\(step)' has no WITHIN: during compensation SAGA '\(saga)''s TIMEOUT is only recorded, so the compensation could wait for its confirmation forever"
    }

    static let confirmationDeadlineFix = "a confirmation needs a deadline: COMPENSATE 'type' { ... } AWAIT 'confirmed' WITHIN 30s"

    /// `1h30m`, `500ms`, `2d`: a duration as it is written in a rule file.
    static func durationText(_ milliseconds: Int64) -> String {
        guard milliseconds > 0 else { return "\(milliseconds)ms" }
        var rest = milliseconds
        var text = ""
        for (unit, size) in [("d", Int64(86_400_000)), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}

/// The message texts of SAGA's syntax errors (`Parser+Sagas.swift`).
extension DiagnosticMessages {
    /// The most retries a `RETRY` may ask for.
    static let retryLimit = 1000

    /// The largest `BACKOFF` factor.
    static let backoffLimit = 100

    static func stepClauseOutsideStep(_ clause: String, in declaration: String) -> String {
        "'\(clause)' in \(declaration) is a clause of a step: write it after 'STEP name', before the ON COMPLETE and ON FAILURE branches"
    }

    static func expectedCompleteOrFailure(in declaration: String, found: String) -> String {
        "expected 'COMPLETE EMIT' or 'FAILURE EMIT' after 'ON' in \(declaration), found \(found)"
    }

    static let sagaHasNoOn = "a SAGA has no ON clause: it starts on START ON 'type' AS alias, and its steps AWAIT their replies"

    static let sagaStartForm = "a saga starts with START ON 'type' AS alias, then an optional WHERE condition (START ON 'order.placed' AS order)"

    static func startNeedsAlias(found: String) -> String {
        "expected 'AS' and an alias after the event type of START ON, found \(found)"
    }

    static func expectedAlias(found: String) -> String {
        "expected an alias after 'AS', found \(found)"
    }

    static func sagaWhereMisplaced(_ declaration: String) -> String {
        "'WHERE' in \(declaration) must follow the event type of START ON, AWAIT or FAIL ON: AWAIT 'type' WHERE condition"
    }

    static func sagaWithinMisplaced(_ declaration: String) -> String {
        "'WITHIN' in \(declaration) belongs to an AWAIT: AWAIT 'type' WITHIN 30s (the whole saga's deadline is TIMEOUT, before the steps)"
    }

    static func sagaWhenMisplaced(_ declaration: String) -> String {
        "'WHEN' in \(declaration) must follow an ON COMPLETE or ON FAILURE branch: ON COMPLETE EMIT 'type' { ... } WHEN condition"
    }

    static func sagaAsMisplaced(_ declaration: String) -> String {
        "'AS' in \(declaration) must follow the event type of START ON or of a step's AWAIT: AWAIT 'type' AS reply"
    }

    static func sagaBareEmit(_ declaration: String) -> String {
        "\(declaration) has no bare 'EMIT': it emits in ON COMPLETE EMIT and ON FAILURE EMIT branches, and its steps SEND commands"
    }

    static let sagaTimeoutIsFailure =
        "a saga whose step or deadline times out fails: its ON FAILURE branches run, with error.kind 'timeout' or 'deadline'"

    static func commandNeedsObject(_ keyword: String) -> String {
        "\(keyword) needs an object: { field: value, ... }"
    }

    /// `label`: `AWAIT`, `FAIL ON` or `compensation's AWAIT`.
    static func repeatedReplyPart(_ part: String, of label: String, in step: String, firstAt position: String) -> String {
        "repeated '\(part)' in the \(label) of \(step) (first at \(position))"
    }

    static func replyPartOutOfOrder(_ part: String, before later: String, of label: String, in step: String) -> String {
        "'\(part)' must come before '\(later)' in the \(label) of \(step): AWAIT 'type' AS alias WHERE condition WITHIN 30s"
    }

    static func replyTakesNoAlias(_ label: String, in step: String) -> String {
        "'AS' in the \(label) of \(step): only a step's AWAIT names its reply"
    }

    static func failOnTakesNoWithin(_ step: String) -> String {
        "'WITHIN' in the FAIL ON of \(step): the step's deadline goes on its AWAIT"
    }

    static func repeatedCompensationAwait(_ step: String, firstAt position: String) -> String {
        "repeated 'AWAIT' after COMPENSATE in \(step) (first at \(position)): a compensation has at most one confirmation"
    }

    static let retryForm = "RETRY n EVERY d, then optionally BACKOFF f and MAX m: RETRY 3 EVERY 1s BACKOFF 2 MAX 30s"

    static let backoffAfterMax = "'BACKOFF' must come before 'MAX' in RETRY"

    static func retryCountInvalid(found: String) -> String {
        "'RETRY' takes a whole number of retries from 1 to \(retryLimit), found \(found)"
    }

    static func backoffInvalid(found: String) -> String {
        "'BACKOFF' takes a number from 1 to \(backoffLimit) (the factor each wait grows by: 2, 1.5), found \(found)"
    }

    static let sagaUnreachableBranchNote = "add a WHEN to the earlier branch: ON COMPLETE and ON FAILURE branches are first-match"

    static func sagaBranchAll(_ clause: String, in declaration: String) -> String {
        "'ALL' after \(clause) EMIT in \(declaration): saga branches are first-match (the first whose WHEN holds emits)"
    }
}

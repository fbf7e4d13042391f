import WeirSyntax

extension EventTypePattern {
    /// The pattern a subscription's type string spells, checked as the rule-file parser checks
    /// an `ON` type: `'order.created'` (exactly), `'order.*'` (`order.` and one or more further
    /// segments), `'*'` (every type). The range is empty: the pattern was not read from a file.
    static func parse(busPattern text: String) throws(BusError) -> EventTypePattern {
        let range = SourceRange(at: 0)
        if text == "*" { return EventTypePattern(.any, range) }
        var body = Substring(text)
        let wildcard = body.hasSuffix(".*")
        if wildcard { body = body.dropLast() }
        if text.isEmpty { throw .invalidTypePattern(text, reason: BusMessages.emptyTypePattern) }
        if body.contains("*") { throw .invalidTypePattern(text, reason: BusMessages.misplacedWildcard(text)) }
        let segments = (wildcard ? body.dropLast() : body).split(separator: ".", omittingEmptySubsequences: false)
        if segments.contains(where: \.isEmpty) { throw .invalidTypePattern(text, reason: BusMessages.emptySegment(text)) }
        return EventTypePattern(wildcard ? .prefix(String(body)) : .exact(text), range)
    }
}

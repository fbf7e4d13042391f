import Testing
import WeirCore

@testable import WeirIngest

/// Upper-case (or otherwise invalid) attribute names cannot be read by expressions, so ingest
/// rejects the event, naming the attribute.
@Suite struct AttributeNameTests {
    @Test func upperCaseAttributeIsRejectedWithItsName() {
        let line = #"{"specversion":"1.0","id":"x","source":"/s","type":"t","EXT":"v"}"#
        let outcome = read([good(1), line, good(2)].joined(separator: "\n"))
        #expect(outcome.eventIDs == ["e1", "e2"])
        #expect(outcome.rejections.map(\.0) == [2])
        #expect(outcome.rejections.first?.1
            == "invalid attribute name 'EXT' (CloudEvents attribute names are lower-case letters a-z and digits)")
    }

    @Test func firstInvalidNameInDocumentOrderIsNamed() {
        let line = #"{"specversion":"1.0","B":1,"id":"x","source":"/s","type":"t","a-b":2}"#
        #expect(throws: IngestFailure.invalidEvent(.invalidAttributeName("B"))) { try EventReader.parseEvent(line) }
    }
}

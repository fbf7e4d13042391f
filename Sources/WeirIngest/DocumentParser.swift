import CSimdJSON
import WeirCore

/// One simdjson parser, sized by the limits: it parses a line in place and checks that it is a
/// CloudEvent. The root it returns stays valid until the next parse.
final class DocumentParser {
    private let parser: OpaquePointer?
    private let required = RequiredAttributes()
    let limits: IngestLimits

    init(limits: IngestLimits) {
        self.limits = limits
        parser = weir_parser_create(limits.lineBytes, limits.depth)
    }

    deinit { weir_parser_destroy(parser) }

    /// Bytes that must be readable after a document passed to `parseEvent`.
    static let padding = weir_json_padding()

    /// Parses one document (followed by `padding` readable bytes) and checks that it is an event.
    @inline(__always)
    func parseEvent(_ bytes: UnsafePointer<UInt8>, count: Int) throws(IngestFailure) -> DocumentView {
        guard let parser else { throw .outOfMemory }
        var root = weir_elem()
        let status = bytes.withMemoryRebound(to: CChar.self, capacity: count) {
            weir_parse(parser, $0, count, &root)
        }
        guard status == Int32(WEIR_PARSE_OK) else { throw failure(status, count: count) }
        try required.check(root)
        return DocumentView(root: root, data: required.data, checked: required.found)
    }

    private func failure(_ status: Int32, count: Int) -> IngestFailure {
        switch Int(status) {
        case Int(WEIR_PARSE_INVALID_UTF8): return .invalidUTF8
        case Int(WEIR_PARSE_TOO_DEEP): return .tooDeep(limit: limits.depth)
        case Int(WEIR_PARSE_TOO_BIG): return .tooLong(bytes: count, limit: limits.lineBytes)
        case Int(WEIR_PARSE_OUT_OF_MEMORY): return .outOfMemory
        default: return .invalidJSON(String(cString: weir_parser_last_error(parser)))
        }
    }
}

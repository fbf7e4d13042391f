import CPCRE2
import Synchronization

/// Limits that keep a backtracking regular expression from hanging the engine.
public struct RegexLimits: Sendable, Hashable {
    /// PCRE2's match limit: how many times its matcher may be entered for one match attempt.
    public var matchLimit: UInt32 = 1_000_000
    /// PCRE2's depth limit (backtracking depth; the JIT observes the match limit instead).
    public var depthLimit: UInt32 = 10_000
    /// PCRE2's heap limit, in KiB.
    public var heapLimitKiB: UInt32 = 20_000
    /// Longest pattern accepted, in bytes.
    public var maxPatternLength: Int = 4096
    /// Backreferences (`\1`, `\k<name>`) can take exponential time; they are rejected unless allowed.
    public var allowBackreferences: Bool = false

    public init() {}
}

/// A PCRE2 pattern compiled once (with the JIT when available) and matched as an unanchored
/// search, as PCRE2, PostgreSQL `~` and MySQL `REGEXP` do: anchor with `^` and `$` for a full match.
final class Regex: @unchecked Sendable {
    // Safety: `code` and `context` are read-only after init; PCRE2 allows sharing them across
    // threads. Match data, which a match writes, comes from a mutex-guarded pool.
    private let code: OpaquePointer
    private let context: OpaquePointer
    private let jit: Bool
    private let pool = Mutex<[MatchData]>([])

    /// A PCRE2 match data block; used by one match at a time (it comes from and returns to the pool).
    private struct MatchData: @unchecked Sendable {
        let pointer: OpaquePointer
    }

    enum Failure: Error {
        /// PCRE2's message and the byte offset in the pattern where it stopped.
        case invalid(String, offset: Int)
        case backreference
        case tooLong(Int)
    }

    init(_ pattern: String, limits: RegexLimits) throws(Failure) {
        let bytes = Array(pattern.utf8)
        if bytes.count > limits.maxPatternLength { throw .tooLong(limits.maxPatternLength) }
        var errorCode: Int32 = 0
        var errorOffset = 0
        let options = UInt32(PCRE2_UTF) | UInt32(PCRE2_NEVER_BACKSLASH_C) | UInt32(PCRE2_DOLLAR_ENDONLY)
        let compiled = bytes.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, buffer.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            throw .invalid(Regex.message(errorCode), offset: errorOffset)
        }
        var backrefMax: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_BACKREFMAX), &backrefMax)
        if backrefMax > 0 && !limits.allowBackreferences {
            pcre2_code_free_8(compiled)
            throw .backreference
        }
        code = compiled
        jit = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
        let ctx = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(ctx, limits.matchLimit)
        pcre2_set_depth_limit_8(ctx, limits.depthLimit)
        pcre2_set_heap_limit_8(ctx, limits.heapLimitKiB)
        context = ctx
    }

    deinit {
        for data in pool.withLock({ $0 }) { pcre2_match_data_free_8(data.pointer) }
        pcre2_match_context_free_8(context)
        pcre2_code_free_8(code)
    }

    /// True/false for a search in `subject`, or nil when a resource limit stopped the match.
    func search(_ subject: UnsafeBufferPointer<UInt8>) -> Bool? {
        let block = pool.withLock { $0.popLast() } ?? MatchData(pointer: pcre2_match_data_create_8(1, nil)!)
        defer { pool.withLock { $0.append(block) } }
        let data = block.pointer
        // A zero-length subject may have a nil base address; PCRE2 wants a valid pointer.
        let empty: [UInt8] = [0]
        let rc: Int32 = empty.withUnsafeBufferPointer { fallback in
            let base = subject.count == 0 ? fallback.baseAddress! : subject.baseAddress!
            if jit {
                return pcre2_jit_match_8(code, base, subject.count, 0, 0, data, context)
            }
            return pcre2_match_8(code, base, subject.count, 0, UInt32(PCRE2_NO_UTF_CHECK), data, context)
        }
        if rc >= 0 { return true }
        if rc == PCRE2_ERROR_NOMATCH { return false }
        return nil
    }

    static func message(_ code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBufferPointer { pcre2_get_error_message_8(code, $0.baseAddress, $0.count) }
        return n > 0 ? String(decoding: buffer[0..<Int(n)], as: UTF8.self) : "error \(code)"
    }
}

import ArgumentParser
import Weir

/// Checks shared by the subcommands' `validate()`: usage errors (exit 64) that say the rule.
enum Validation {
    /// The ingest limits of `--max-line-bytes` and `--max-depth`, refused (never adjusted) when
    /// out of range.
    static func limits(maxLineBytes: Int, maxDepth: Int) throws -> IngestLimits {
        do {
            return try IngestLimits(maxLineBytes: maxLineBytes, maxDepth: maxDepth)
        } catch {
            let option = error.limit == .depth ? "--max-depth" : "--max-line-bytes"
            throw ValidationError("\(option) must be between 1 and \(error.maximum) (got \(error.value)).")
        }
    }

    /// Rule files given more than once (by any path: the same file through a link counts) would
    /// declare everything twice.
    static func distinctRuleFiles(_ files: [String]) throws {
        var seen: [FileIdentity: String] = [:]
        for file in files {
            guard let identity = FileIdentity(path: file) else { continue }
            if let first = seen[identity] {
                throw ValidationError("The rule file '\(file)' is given twice (as '\(first)' too).")
            }
            seen[identity] = file
        }
    }
}

import Foundation

/// README examples that a test compiles and runs: the code between two marker comments in the
/// test's own file must stand in the README, after `import Weir`.
enum ReadmeSnippets {
    /// The code between the lines holding `begin` and `end` in `file` (indentation removed), as
    /// the README shows it after `import Weir`; nil when the markers are missing.
    static func example(in file: String, begin: String, end: String) throws -> String? {
        let source = try String(contentsOf: URL(fileURLWithPath: file), encoding: .utf8).components(separatedBy: "\n")
        guard let first = source.firstIndex(where: { $0.contains(begin) }),
            let last = source.firstIndex(where: { $0.contains(end) })
        else { return nil }
        let indent = source[first].prefix { $0 == " " }.count
        let example = source[(first + 1)..<last].map { $0.count >= indent ? String($0.dropFirst(indent)) : $0 }
        return (["import Weir", ""] + example).joined(separator: "\n")
    }

    /// The repository's README.md, found from a test file's path.
    static func readme(from file: String) throws -> String {
        let root = URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
    }
}

import Foundation

/// Where the CloudEvents SQL v1 conformance suite (the TCK) is, and what the tests do when it is
/// missing. The suite is never copied into this repository: it is read from `$CESQL_TCK_DIR`
/// when that is set, else from `../shared/cesql-tck` beside the package root.
///
/// - Found (a folder holding at least one `.yaml` file): the conformance tests run.
/// - Missing, and `CI=true`: the tests run and fail, saying where the suite was looked for (a CI
///   run must never pass without the suite).
/// - Missing otherwise (a clone outside this workplace): the tests are skipped, and the skip's
///   reason says where the suite goes.
struct TCKLocation: Sendable, Equatable {
    /// The folder that was looked at.
    let directory: URL
    /// Whether it holds the suite (at least one `.yaml` file).
    let isPresent: Bool
    /// Whether the environment says this is a CI run (`CI=true`).
    let isCI: Bool

    /// Whether the conformance tests run: always when the suite is present, and in CI (where a
    /// missing suite then fails them).
    var runsTests: Bool { isPresent || isCI }

    /// The environment variable that names the suite's folder.
    static let environmentVariable = "CESQL_TCK_DIR"

    /// The folder looked at when `CESQL_TCK_DIR` is not set: `../shared/cesql-tck` from the package root.
    static func defaultDirectory(packageRoot: URL) -> URL {
        packageRoot.deletingLastPathComponent().appendingPathComponent("shared").appendingPathComponent("cesql-tck")
    }

    /// Looks for the suite: `CESQL_TCK_DIR` when set and not empty (and then only there), else
    /// the default folder.
    static func find(environment: [String: String], packageRoot: URL) -> TCKLocation {
        let directory: URL
        if let path = environment[environmentVariable], !path.isEmpty {
            directory = URL(fileURLWithPath: path)
        } else {
            directory = defaultDirectory(packageRoot: packageRoot)
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return TCKLocation(
            directory: directory, isPresent: files.contains { $0.hasSuffix(".yaml") },
            isCI: environment["CI"]?.lowercased() == "true")
    }

    /// Why the suite is missing, and where it goes: the reason a skipped test shows, and the
    /// failure message in CI.
    var missingMessage: String {
        "the CloudEvents SQL conformance suite (CESQL v1 TCK) is not at \(directory.path): put its .yaml files in "
            + "'../shared/cesql-tck' beside the package root, or set \(TCKLocation.environmentVariable) to their folder"
    }
}

import Foundation
import Testing

/// Finding the conformance suite: `CESQL_TCK_DIR`, the default folder, and what a missing suite does.
@Suite struct TCKLocationTests {
    /// A fresh temporary folder, removed by the caller.
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("weir-tck-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    let packageRoot = URL(fileURLWithPath: "/nowhere/weir")

    @Test func defaultFolderIsSharedBesideThePackage() {
        let location = TCKLocation.find(environment: [:], packageRoot: packageRoot)
        #expect(location.directory.path == "/nowhere/shared/cesql-tck")
        #expect(!location.isPresent)
    }

    @Test func environmentVariableNamesTheFolder() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("tests: []\n".utf8).write(to: folder.appendingPathComponent("a.yaml"))
        let location = TCKLocation.find(environment: ["CESQL_TCK_DIR": folder.path], packageRoot: packageRoot)
        #expect(location.directory.path == folder.path)
        #expect(location.isPresent)
        #expect(location.runsTests)
    }

    @Test func emptyOrMissingFolderIsNotTheSuite() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        for path in [folder.path, "/nonexistent"] {
            let location = TCKLocation.find(environment: ["CESQL_TCK_DIR": path], packageRoot: packageRoot)
            #expect(!location.isPresent)
            #expect(!location.runsTests, "outside CI a missing suite skips the conformance tests")
            #expect(location.missingMessage.contains(path))
            #expect(location.missingMessage.contains("'../shared/cesql-tck'"))
            #expect(location.missingMessage.contains("CESQL_TCK_DIR"))
        }
    }

    @Test func missingSuiteInCIRunsTheTestsSoTheyFail() {
        let location = TCKLocation.find(environment: ["CESQL_TCK_DIR": "/nonexistent", "CI": "true"], packageRoot: packageRoot)
        #expect(!location.isPresent)
        #expect(location.isCI)
        #expect(location.runsTests)
        #expect(!TCKLocation.find(environment: ["CI": "false"], packageRoot: packageRoot).isCI)
    }

    /// Where the shared folder exists beside the package (this workplace), the default finds the suite in it.
    @Test(.enabled(if: FileManager.default.fileExists(
        atPath: TCKLocation.defaultDirectory(packageRoot: ConformanceSuite.repositoryRoot).path),
        "no '../shared/cesql-tck' beside this checkout"))
    func thisCheckoutFindsTheSharedSuiteByDefault() {
        #expect(TCKLocation.find(environment: [:], packageRoot: ConformanceSuite.repositoryRoot).isPresent)
    }
}

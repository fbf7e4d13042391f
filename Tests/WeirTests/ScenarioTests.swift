import Foundation
import Testing

/// Every scenario under `rules/` (a folder with one `.rules` file, `events.jsonl`, an optional
/// `args` file of extra `weir run` options, and `expected.jsonl`) runs end to end through the
/// `weir` executable and gives exactly its expected output.
///
/// `RECORD_SNAPSHOTS=1 swift test --filter ScenarioTests` rewrites each `expected.jsonl` from
/// what weir printed, and fails the run saying so, so that a recording is never silent.
@Suite(.serialized) struct ScenarioTests {
    static let rules = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules")

    /// The scenario folders: those holding a rule file.
    static let scenarios: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: rules.path)) ?? []
        return names.filter { name in
            let files = (try? FileManager.default.contentsOfDirectory(atPath: rules.appendingPathComponent(name).path)) ?? []
            return files.contains { $0.hasSuffix(".rules") } && files.contains("events.jsonl")
        }.sorted()
    }()

    @Test func thereAreScenarios() {
        #expect(Self.scenarios.count >= 5, "found \(Self.scenarios)")
    }

    @Test(arguments: scenarios)
    func scenario(_ name: String) throws {
        let folder = Self.rules.appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        let ruleFiles = files.filter { $0.hasSuffix(".rules") }.sorted().map { folder.appendingPathComponent($0).path }
        var arguments = ["run"] + ruleFiles + ["--input", folder.appendingPathComponent("events.jsonl").path]
        if let extra = try? String(contentsOf: folder.appendingPathComponent("args"), encoding: .utf8) {
            arguments += extra.split(whereSeparator: \.isWhitespace).map(String.init)
        }
        let r = try WeirCLI.run(arguments)
        #expect(r.status == 0, "weir \(arguments.joined(separator: " ")) exited \(r.status): \(r.err)")
        let expectedURL = folder.appendingPathComponent("expected.jsonl")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try Data(r.stdout).write(to: expectedURL)
            Issue.record("recorded \(expectedURL.path); run again without RECORD_SNAPSHOTS to check it")
            return
        }
        let expected = try String(contentsOf: expectedURL, encoding: .utf8)
        #expect(r.out == expected, "weir \(arguments.joined(separator: " ")) differs from \(expectedURL.path)")
        // Every emitted event is a CloudEvent with the attributes the contract requires.
        for line in r.outLines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for attribute in ["specversion", "id", "source", "type", "time", "causationid", "datacontenttype"] {
                #expect(object[attribute] != nil, "\(name): emitted event without '\(attribute)': \(line)")
            }
            #expect((object["source"] as? String)?.hasPrefix("weir://") == true)
        }
    }
}

import Testing
import WeirCore

@testable import WeirIngest
import WeirTestSupport

/// Mutated and random input: no crash, every line accounted for, and the same result whatever
/// the block size.
@Suite struct RobustnessTests {

    static func mutatedInput(seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        var input: [UInt8] = []
        let alphabet = Array(#"{}[]",:0123456789.eE+-tfnul\ "#.utf8) + [0x00, 0x0A, 0x0D, 0x80, 0xC3, 0xFF, 0xEF, 0xBB, 0xBF]
        for n in 0..<200 {
            var line = Array(good(n).utf8)
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let i = Int.random(in: 0..<line.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: line[i] = alphabet.randomElement(using: &random) ?? 0
                case 1: line.remove(at: i)
                default: line.insert(alphabet.randomElement(using: &random) ?? 0, at: i)
                }
            }
            if Int.random(in: 0..<20, using: &random) == 0 {
                line += (0..<Int.random(in: 0..<400, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            }
            input += line
            input += Int.random(in: 0..<5, using: &random) == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        return input
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func mutatedLines(seed: UInt64) {
        let input = Self.mutatedInput(seed: seed)
        let limits = try! IngestLimits(maxLineBytes: 150, maxDepth: 8)
        let reference = read(input, limits: limits)
        let newlines = input.filter { $0 == 0x0A }.count
        #expect(reference.stats.lines == newlines + (input.last == 0x0A ? 0 : 1))
        #expect(reference.stats.events + reference.stats.rejected <= reference.stats.lines)
        #expect(reference.stats.bytes == input.count)
        #expect(reference.events.count == reference.stats.events)
        #expect(reference.rejected.count == reference.stats.rejected)
        let lines = reference.eventLines + reference.rejected.map(\.line)
        #expect(Set(lines).count == lines.count)
        for blockSize in [1, 7, 64, 151, 4096] {
            let other = read(input, limits: limits, blockSize: blockSize)
            #expect(other.stats == reference.stats, "block size \(blockSize)")
            #expect(other.eventLines == reference.eventLines, "block size \(blockSize)")
            #expect(other.rejected == reference.rejected, "block size \(blockSize)")
            #expect(other.events.map(\.event) == reference.events.map(\.event), "block size \(blockSize)")
        }
    }

    @Test func randomBytes() {
        var random = SplitMix64(seed: 42)
        for _ in 0..<50 {
            let input = (0..<Int.random(in: 0..<3000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            let outcome = read(input, limits: try! IngestLimits(maxLineBytes: 100), blockSize: 13)
            #expect(outcome.stats.events == 0)
            #expect(outcome.stats.bytes == input.count)
        }
    }
}

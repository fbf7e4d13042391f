import WeirTestSupport
import Testing
import WeirCore
@testable import WeirEngine

/// `EventTimeText.parseCommon(_:dates:)`, which reuses the date of the previous timestamp, reads
/// every text exactly as `parseCommon(_:)` does: runs of one date, date changes, and invalid
/// times of day after a valid date.
@Suite struct EventTimeMemoTests {
    static func plain(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { EventTimeText.parseCommon($0) }
    }

    @Test func agreesWithTheUnmemoisedReader() {
        var rng = SplitMix64(seed: 2024)
        var texts: [String] = []
        var time: Int64 = 1_704_067_000_000
        for _ in 0..<3000 {
            time += Int64(rng.next() % 200_000_000) - 20_000_000
            let text = EventTimeText.format(time)
            texts.append(rng.next() % 4 == 0 ? String(text.dropLast(5)) + "Z" : text)
            // Same date, broken time of day: each must still be refused (or read) as by the plain reader.
            let date = String(text.prefix(11))
            let times = ["24:00:00.000Z", "23:60:00Z", "23:59:60.000Z", "2a:00:00.000Z", "12:00:00,000Z",
                         "12:00:00.000", "12-00:00.000Z", "12:00:00.0000Z", "00:00:00.000z", "23:59:59.999Z"]
            texts.append(date + times[Int(rng.next() % 10)])
        }
        texts += ["2024-02-30T00:00:00Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2023-02-29T00:00:00Z"]
        var dates = EventTimeText.DateMemo()
        for text in texts {
            var bytes = text
            let memoised = bytes.withUTF8 { EventTimeText.parseCommon($0, dates: &dates) }
            #expect(memoised == Self.plain(text), "\(text)")
        }
    }
}

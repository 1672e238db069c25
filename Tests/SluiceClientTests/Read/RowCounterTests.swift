import Testing
@testable import SluiceClient

struct RowCounterTests {
    func feed(_ counter: inout RowCounter, _ text: String, stopAfter: Int? = nil) -> Int? {
        Array(text.utf8).withUnsafeBytes { counter.feed($0, stopAfter: stopAfter) }
    }

    @Test func ndjsonRowsAreLineEndsAcrossChunks() {
        var counter = RowCounter(format: .ndjson)
        _ = feed(&counter, "{\"a\":1}\n{\"a\"")
        _ = feed(&counter, ":2}\n")
        #expect(counter.rows == 2)
    }

    @Test func csvCountsRecordsNotLineBreaksInQuotesAndLeavesOutTheHeader() {
        var counter = RowCounter(format: .csv)
        _ = feed(&counter, "id,note\n1,\"a\n")
        _ = feed(&counter, "b\"\n2,c\n")
        #expect(counter.records == 3)
        #expect(counter.rows == 2)
    }

    @Test func stopAfterAnswersTheOffsetPastThatRecord() {
        var counter = RowCounter(format: .ndjson)
        #expect(feed(&counter, "a\nb\nc\n", stopAfter: 2) == 4)
        var csv = RowCounter(format: .csv)
        #expect(feed(&csv, "h\n1\n", stopAfter: 3) == nil)
        #expect(feed(&csv, "2\n3\n", stopAfter: 3) == 2)
    }
}

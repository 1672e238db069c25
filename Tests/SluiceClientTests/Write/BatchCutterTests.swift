import Foundation
import NIOCore
import Testing
@testable import SluiceClient

/// The cutter over real files: row boundaries, headers, JSON elements, and where lines are.
struct BatchCutterTests {
    /// Cuts `text` (written to a temporary file named `name`) into batches of `rows` rows.
    func cut(_ text: String, name: String = "in.ndjson", rows: Int, maxBytes: Int = 16 << 20) throws -> [Batch] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cutter-\(UUID().uuidString)-\(name)").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cutter = BatchCutter(input: try InputFile(path: path, format: nil), batchRows: rows, maxBatchBytes: maxBytes, firstIndex: 0)
        var batches: [Batch] = []
        while let batch = try cutter.next() { batches.append(batch) }
        return batches
    }

    func bodies(_ batches: [Batch]) -> [String] { batches.map { String(buffer: $0.body) } }

    @Test func ndjsonIsCutAtLineEndsAndTheLastLineNeedsNoBreak() throws {
        let batches = try cut("{\"a\":1}\n{\"a\":2}\n\n{\"a\":3}", rows: 2)
        #expect(bodies(batches) == ["{\"a\":1}\n{\"a\":2}\n", "\n{\"a\":3}\n"])
        #expect(batches.map(\.rows) == [2, 1])
        #expect(batches.map(\.index) == [0, 1])
        // The second batch starts at line 3 (the blank line): its body line 2 is input line 4.
        #expect(batches[1].inputLine(ofBodyLine: 2) == 4)
    }

    @Test func blankLinesAloneMakeNoBatch() throws {
        #expect(try cut("{\"a\":1}\n\n\n", rows: 1).map(\.rows) == [1])
        #expect(try cut("", rows: 5).isEmpty)
    }

    @Test func aBatchEndsAtTheFirstRowPastTheByteLimit() throws {
        let batches = try cut("aaaa\nbbbb\ncccc\n", rows: 100, maxBytes: 6)
        #expect(bodies(batches) == ["aaaa\nbbbb\n", "cccc\n"])
    }

    @Test func csvBatchesRepeatTheHeaderAndKeepQuotedLineBreaks() throws {
        let batches = try cut("\u{FEFF}id,note\n1,\"two\nlines\"\n2,x\n3,y\n", name: "in.csv", rows: 2)
        #expect(bodies(batches) == ["id,note\n1,\"two\nlines\"\n2,x\n", "id,note\n3,y\n"])
        #expect(batches.map(\.rows) == [2, 1])
        // Body line 2 (after the header) of the second batch is input line 5.
        #expect(batches[1].inputLine(ofBodyLine: 2) == 5)
        #expect(batches[1].inputLine(ofBodyLine: 1) == nil)
    }

    @Test func aCSVHeaderAloneHasNoRows() throws {
        #expect(try cut("id,name\n", name: "h.csv", rows: 10).isEmpty)
    }

    @Test func jsonArraysAreCutBetweenElementsWhateverTheyHold() throws {
        let text = "[\n {\"id\":1,\"s\":\"],{\\\"\"},\n {\"id\":2,\"x\":[1,{\"a\":\"]\"}]},\n {\"id\":3}\n]\n"
        let batches = try cut(text, name: "in.json", rows: 2)
        #expect(bodies(batches) == ["[\n {\"id\":1,\"s\":\"],{\\\"\"},\n {\"id\":2,\"x\":[1,{\"a\":\"]\"}]}]", "[\n {\"id\":3}\n]"])
        #expect(batches.map(\.rows) == [2, 1])
        #expect(batches[0].inputLine(ofBodyLine: 2) == 3)
        #expect(batches[1].inputLine(ofBodyLine: 1) == 4)
        for body in bodies(batches) {
            #expect((try? JSONSerialization.jsonObject(with: Data(body.utf8))) is [Any])
        }
    }

    @Test func jsonThatIsNotAnArrayOrNotClosedIsRefused() throws {
        #expect(throws: ClientFailure.self) { try cut("{\"a\":1}\n", name: "o.json", rows: 1) }
        #expect(throws: ClientFailure.self) { try cut("[{\"a\":1},", name: "open.json", rows: 5) }
    }

    @Test func batchesLargerThanOneReadAreWhole() throws {
        let line = String(repeating: "x", count: 999) + "\n"
        let batches = try cut(String(repeating: line, count: 3000), rows: 1500)
        #expect(batches.map(\.rows) == [1500, 1500])
        #expect(batches.allSatisfy { $0.body.readableBytes == 1500 * 1000 })
    }

    @Test func keysNameTheCutAndTheContent() throws {
        let first = try cut("{\"a\":1}\n{\"a\":2}\n", rows: 1)
        let changed = try cut("{\"a\":1}\n{\"a\":3}\n", rows: 1)
        #expect(first[0].key(batchRows: 1) == changed[0].key(batchRows: 1))
        #expect(first[1].key(batchRows: 1) != changed[1].key(batchRows: 1))
        let key = first[1].key(batchRows: 1)
        #expect(BatchKey(key.description) == key)
        #expect(BatchKey("something-else") == nil)
    }

    @Test func theFormatComesFromTheName() throws {
        #expect(RowFormat.implied(byName: "a.JSONL") == .ndjson)
        #expect(RowFormat.implied(byName: "a.csv") == .csv)
        #expect(RowFormat.implied(byName: "a.txt") == nil)
        #expect(throws: ClientFailure.self) { try InputFile(path: "/etc/hostname", format: nil) }
        #expect(throws: ClientFailure.self) { try InputFile(path: "/tmp", format: .ndjson) }
    }
}

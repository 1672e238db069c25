import Testing
@testable import SluiceCore

/// `DecodeOptions.firstLine`: an input split at line breaks and decoded in pieces (as the
/// server does on two cores) reports the same issues as the whole input.
@Suite struct NDJSONFirstLineTests {
    let schema = Schema([Field("id", .int64, nullable: false), Field("name", .string)])

    /// 40 lines with a few bad ones (a string id, a missing id, an unknown key).
    var lines: [String] {
        (1...40).map { n in
            switch n {
            case 7: return "{\"id\":\"seven\"}"
            case 23: return "{\"name\":\"no id\"}"
            case 31: return "{\"id\":31,\"x\":1}"
            default: return "{\"id\":\(n),\"name\":\"n\(n)\"}"
            }
        }
    }

    func issues(_ text: [String], options: DecodeOptions = .init()) -> [DataIssue] {
        CodecTestSupport.issues {
            try NDJSONDecoder.decode(CodecTestSupport.bytes(text.joined(separator: "\n")), schema: self.schema, options: options)
        } ?? []
    }

    @Test func piecesDecodedInParallelReportWholeInputLines() async throws {
        let whole = issues(lines)
        #expect(whole.map(\.line) == [7, 23, 31])
        for split in [1, 10, 23, 30] {
            let head = Array(lines[..<split]), tail = Array(lines[split...])
            async let first = issues(head)
            async let second = issues(tail, options: DecodeOptions(firstLine: split + 1))
            #expect(await first + second == whole, "split after line \(split)")
        }
    }

    @Test func firstLineNumbersRowsAfterBlankLinesAndInInference() {
        let text = ["", "{\"a\":1}", "{\"a\":\"x\"}"]
        let inferred = CodecTestSupport.issues {
            try NDJSONDecoder.decode(CodecTestSupport.bytes(text.joined(separator: "\n")), schema: nil, options: DecodeOptions(firstLine: 1_000))
        }
        #expect(inferred == [DataIssue(line: 1_002, column: 6, field: "a", "found a string where earlier rows have Int64")])
    }

    @Test func csvHonoursFirstLineToo() {
        let issues = CodecTestSupport.issues {
            try CSVDecoder.decode(CodecTestSupport.bytes("id,name\n1,a\nx,b\n"), schema: self.schema, options: DecodeOptions(firstLine: 50))
        }
        #expect(issues == [DataIssue(line: 52, column: 1, field: "id", "expected Int64, found 'x'")])
    }

    @Test func defaultIsLineOne() {
        #expect(DecodeOptions().firstLine == 1)
    }
}

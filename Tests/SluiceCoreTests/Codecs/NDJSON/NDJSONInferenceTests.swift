import Testing
@testable import SluiceCore

@Suite struct NDJSONInferenceTests {
    func infer(_ text: String) throws -> RecordBatch {
        try NDJSONDecoder.decode(CodecTestSupport.bytes(text), schema: nil)
    }

    @Test func infersTypesInFirstSeenOrder() throws {
        let batch = try infer("""
            {"id":1,"score":2,"ok":true,"tags":[],"n":null}
            {"name":"x","score":2.5,"tags":["a"],"s":{"k":1,"j":[1.5]},"id":-3}
            """)
        #expect(batch.schema == Schema([
            Field("id", .int64), Field("score", .float64), Field("ok", .bool), Field("tags", .list(.string)),
            Field("n", .null), Field("name", .string),
            Field("s", .structure([Field("k", .int64), Field("j", .list(.float64))])),
        ]))
        #expect(batch.rows == [
            [1, 2.0, true, [], nil, nil, nil],
            [-3, 2.5, nil, ["a"], nil, "x", .structure([1, [1.5]])],
        ])
    }

    @Test func incompatibleMixIsAnIssueNamingTheLine() {
        let issues = CodecTestSupport.issues { try self.infer("{\"a\":1}\n{\"a\":\"x\"}") }
        #expect(issues == [DataIssue(line: 2, column: 6, field: "a", "found a string where earlier rows have Int64")])
        let nested = CodecTestSupport.issues { try self.infer("{\"a\":[{\"b\":true}]}\n\n{\"a\":[{\"b\":1}]}") }
        #expect(nested == [DataIssue(line: 3, column: 12, field: "a.b", "found an integer where earlier rows have Bool")])
    }

    @Test func infersEachBatchSeparately() throws {
        var decoder = NDJSONDecoder(schema: nil, options: .init(batchRows: 2))
        let text = CodecTestSupport.bytes("{\"a\":1}\n{\"a\":2}\n{\"a\":\"x\"}\n")
        let batches = try text.withUnsafeBytes { try decoder.feed($0) } + (try decoder.finish())
        #expect(batches.map(\.schema) == [Schema([Field("a", .int64)]), Schema([Field("a", .string)])])
    }

    /// Past the rows whose types are sampled before the one-pass decode, a row that needs a
    /// wider type or brings a new key gives what inferring over every row gives.
    @Test func laterRowsWidenTheSampledTypes() throws {
        let sample = NDJSONFormat.sampleRows
        var lines = (0..<sample + 10).map { "{\"a\":\($0),\"n\":null,\"l\":[]}" }
        lines.append("{\"a\":1.5,\"n\":\"x\",\"l\":[true],\"new\":{\"k\":1}}")
        lines.append("{\"a\":2}")
        let batch = try infer(lines.joined(separator: "\n"))
        #expect(batch.schema == Schema([
            Field("a", .float64), Field("n", .string), Field("l", .list(.bool)),
            Field("new", .structure([Field("k", .int64)])),
        ]))
        #expect(batch.rowCount == sample + 12)
        #expect(batch.rows[sample + 10] == [1.5, "x", [true], .structure([1])])
        #expect(batch.rows[sample + 11] == [2.0, nil, nil, nil])
        #expect(batch.rows[3] == [3.0, nil, [], nil])
    }

    @Test func clashAfterTheSampledRowsNamesItsLine() {
        let sample = NDJSONFormat.sampleRows
        var lines = (0..<sample + 40).map { "{\"a\":\($0)}" }
        lines[sample + 20] = "{\"a\":\"x\"}"
        lines[sample + 30] = "{\"a\":1,\"a\":2}"
        let issues = CodecTestSupport.issues { try self.infer(lines.joined(separator: "\n")) }
        #expect(issues == [DataIssue(line: sample + 21, column: 6, field: "a", "found a string where earlier rows have Int64")])
        // Types that merge fine but a row the decoder rejects: the same issue as before.
        lines[sample + 20] = "{\"a\":5}"
        let duplicate = CodecTestSupport.issues { try self.infer(lines.joined(separator: "\n")) }
        #expect(duplicate == [DataIssue(line: sample + 31, column: 8, field: "a", "duplicate field 'a'")])
    }

    @Test func emptyInputGivesAnEmptyBatch() throws {
        #expect(try infer("").rowCount == 0)
        #expect(try infer("\n\n").schema == .empty)
    }
}

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

    @Test func emptyInputGivesAnEmptyBatch() throws {
        #expect(try infer("").rowCount == 0)
        #expect(try infer("\n\n").schema == .empty)
    }
}

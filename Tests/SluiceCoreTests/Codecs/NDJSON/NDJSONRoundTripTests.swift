import Testing
@testable import SluiceCore

@Suite struct NDJSONRoundTripTests {
    @Test func everyTypeRoundTrips() throws {
        let batch = try CodecTestSupport.everyTypeBatch()
        var out: [UInt8] = []
        NDJSONEncoder(schema: batch.schema).encode(batch, into: &out)
        let decoded = try NDJSONDecoder.decode(out, schema: batch.schema)
        #expect(decoded == batch)
    }

    @Test func nonFiniteFloatsComeBackAsNull() throws {
        let schema = Schema([Field("f", .float64)])
        let batch = try RecordBatch(schema: schema, rows: [[.float(.nan)], [.float(.infinity)], [1]])
        var out: [UInt8] = []
        NDJSONEncoder(schema: schema).encode(batch, into: &out)
        #expect(try NDJSONDecoder.decode(out, schema: schema).rows == [[nil], [nil], [1.0]])
    }

    @Test func everySplitOfTheInputDecodesTheSame() throws {
        let batch = try CodecTestSupport.everyTypeBatch()
        var out: [UInt8] = []
        NDJSONEncoder(schema: batch.schema).encode(batch, into: &out)
        out.insert(contentsOf: Array("\r\n\n".utf8), at: 0)
        let whole = try RecordBatch.concatenate(CodecTestSupport.decodeNDJSON(out, schema: batch.schema, splits: []))
        #expect(whole == batch)
        for split in 1..<out.count {
            let parts = try CodecTestSupport.decodeNDJSON(out, schema: batch.schema, splits: [split])
            #expect(try RecordBatch.concatenate(parts) == batch, "split at \(split)")
        }
        let byteByByte = try CodecTestSupport.decodeNDJSON(out, schema: batch.schema, splits: Array(1..<out.count))
        #expect(try RecordBatch.concatenate(byteByByte) == batch)
    }

    @Test func everySplitInfersTheSame() throws {
        let text = CodecTestSupport.bytes("{\"a\":1,\"b\":[\"x\"]}\n{\"a\":2.5,\"c\":{\"d\":true}}\n")
        let whole = try NDJSONDecoder.decode(text, schema: nil)
        for split in 1..<text.count {
            let parts = try CodecTestSupport.decodeNDJSON(text, schema: nil, splits: [split])
            #expect(try RecordBatch.concatenate(parts) == whole, "split at \(split)")
        }
    }

    @Test func batchesHoldBatchRowsRows() throws {
        let schema = Schema([Field("i", .int64)])
        let text = CodecTestSupport.bytes((1...10).map { "{\"i\":\($0)}\n" }.joined())
        let batches = try CodecTestSupport.decodeNDJSON(text, schema: schema, splits: [5, 30], options: .init(batchRows: 4))
        #expect(batches.map(\.rowCount) == [4, 4, 2])
        #expect(try RecordBatch.concatenate(batches).rows.map { $0[0] } == (1...10).map { .int(Int64($0)) })
    }
}

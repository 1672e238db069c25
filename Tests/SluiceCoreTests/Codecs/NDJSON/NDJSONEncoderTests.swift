import Testing
@testable import SluiceCore

@Suite struct NDJSONEncoderTests {
    func encode(_ batch: RecordBatch) -> String {
        var out: [UInt8] = []
        NDJSONEncoder(schema: batch.schema).encode(batch, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func writesKeysInSchemaOrderAndNulls() throws {
        let schema = Schema([Field("id", .int64), Field("name", .string), Field("ok", .bool)])
        let batch = try RecordBatch(schema: schema, rows: [[1, "a", true], [2, nil, nil]])
        #expect(encode(batch) == "{\"id\":1,\"name\":\"a\",\"ok\":true}\n{\"id\":2,\"name\":null,\"ok\":null}\n")
    }

    @Test func escapesStringsAndPassesUnicodeThrough() throws {
        let batch = try RecordBatch(schema: Schema([Field("s", .string)]), rows: [["a\"b\\c\n\t\r\u{8}\u{c}\u{1}\u{1f}é🎉/"]])
        #expect(encode(batch) == "{\"s\":\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001fé🎉/\"}\n")
    }

    @Test func escapesKeys() throws {
        let batch = try RecordBatch(schema: Schema([Field("a\"b", .int64)]), rows: [[1]])
        #expect(encode(batch) == "{\"a\\\"b\":1}\n")
    }

    @Test func writesExtremeIntegersExactly() throws {
        let schema = Schema([Field("i", .int64), Field("u", .uint64)])
        let batch = try RecordBatch(schema: schema, rows: [[.int(Int64.min), .uint(UInt64.max)], [0, .uint(0)]])
        #expect(encode(batch) == "{\"i\":-9223372036854775808,\"u\":18446744073709551615}\n{\"i\":0,\"u\":0}\n")
    }

    @Test func writesFloatsShortestAndNonFiniteAsNull() throws {
        let schema = Schema([Field("f", .float64), Field("g", .float32)])
        let batch = try RecordBatch(schema: schema, rows: [
            [0.1, .float(Double(Float(0.1)))], [.float(.nan), .float(.infinity)], [.float(-.infinity), 1e20], [5e-324, 3],
        ])
        #expect(encode(batch) == "{\"f\":0.1,\"g\":0.1}\n{\"f\":null,\"g\":null}\n{\"f\":null,\"g\":1e+20}\n{\"f\":5e-324,\"g\":3.0}\n")
    }

    @Test func writesBinaryDatesTimestampsListsAndStructs() throws {
        let schema = Schema([
            Field("bin", .binary), Field("d", .date), Field("ts", .timestampUTC),
            Field("naive", .timestamp(unit: .seconds, timezone: nil)),
            Field("off", .timestamp(unit: .milliseconds, timezone: "+05:30")),
            Field("l", .list(.string)), Field("st", .structure([Field("x", .int64), Field("y", .structure([]))])),
        ])
        let batch = try RecordBatch(schema: schema, rows: [[
            .binary(Array("hello".utf8)), .date(19_724), .timestamp(1_704_164_645_123_456), .timestamp(-1),
            .timestamp(0), ["a", nil, ""], .structure([1, .structure([])]),
        ]])
        #expect(encode(batch) == """
            {"bin":"aGVsbG8=","d":"2024-01-02","ts":"2024-01-02T03:04:05.123456Z","naive":"1969-12-31T23:59:59",\
            "off":"1970-01-01T05:30:00.000+05:30","l":["a",null,""],"st":{"x":1,"y":{}}}

            """)
    }

    @Test func writesEmptyBatchAsNothing() throws {
        #expect(encode(RecordBatch.empty(Schema([Field("a", .int64)]))) == "")
    }
}

import Testing
@testable import SluiceCore

@Suite struct CSVCodecTests {
    func encode(_ batch: RecordBatch, header: Bool = true) -> String {
        var encoder = CSVEncoder(schema: batch.schema, header: header)
        var out: [UInt8] = []
        encoder.encode(batch, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func decode(_ text: String, _ schema: Schema?) throws -> RecordBatch {
        try CSVDecoder.decode(CodecTestSupport.bytes(text), schema: schema)
    }

    @Test func quotesOnlyWhenNeededAndWritesTheHeaderOnce() throws {
        let schema = Schema([Field("a", .string), Field("b,c", .int64)])
        let batch = try RecordBatch(schema: schema, rows: [["plain", 1], ["with,comma", nil], ["say \"hi\"\nbye", 3], ["", 4]])
        var encoder = CSVEncoder(schema: schema)
        var out: [UInt8] = []
        encoder.encode(batch, into: &out)
        encoder.encode(batch.head(1), into: &out)
        #expect(String(decoding: out, as: UTF8.self) == "a,\"b,c\"\nplain,1\n\"with,comma\",\n\"say \"\"hi\"\"\nbye\",3\n\"\",4\nplain,1\n")
    }

    @Test func everyTypeRoundTrips() throws {
        let batch = try CodecTestSupport.everyTypeBatch()
        let text = encode(batch)
        #expect(try decode(text, batch.schema) == batch)
    }

    @Test func nonFiniteFloatsRoundTrip() throws {
        let schema = Schema([Field("f", .float64)])
        let batch = try RecordBatch(schema: schema, rows: [[.float(.infinity)], [.float(-.infinity)], [1.5]])
        #expect(encode(batch) == "f\ninf\n-inf\n1.5\n")
        let back = try decode(encode(batch), schema)
        #expect(back == batch)
        #expect(try decode("f\nNaN\n", schema).columns[0].storage != .float([0]))
    }

    @Test func singleColumnNullsSurvive() throws {
        let schema = Schema([Field("s", .string)])
        let batch = try RecordBatch(schema: schema, rows: [["a"], [nil], [""]])
        #expect(try decode(encode(batch), schema) == batch)
    }

    @Test func acceptsCRLFAndEmbeddedNewlinesAndAnyHeaderOrder() throws {
        let schema = Schema([Field("id", .int64), Field("note", .string)])
        let batch = try decode("note,id\r\n\"two\r\nlines\",1\r\n\r\nx,2\r\n", schema)
        #expect(batch.rows == [[1, "two\r\nlines"], [2, "x"]])
    }

    @Test func everySplitDecodesTheSame() throws {
        let batch = try CodecTestSupport.everyTypeBatch()
        let text = CodecTestSupport.bytes(encode(batch))
        for split in 1..<text.count {
            var decoder = CSVDecoder(schema: batch.schema)
            var parts = try text[..<split].withUnsafeBytes { try decoder.feed($0) }
            parts += try text[split...].withUnsafeBytes { try decoder.feed($0) }
            parts += try decoder.finish()
            #expect(try RecordBatch.concatenate(parts) == batch, "split at \(split)")
        }
    }

    @Test func headerMismatchIsAnIssue() {
        let schema = Schema([Field("id", .int64), Field("name", .string, nullable: false)])
        let issues = CodecTestSupport.issues { try self.decode("id,extra\n1,x\n", schema) }
        #expect(issues == [
            DataIssue(line: 1, column: 4, field: "extra", "unknown column 'extra' (not in the schema)"),
            DataIssue(line: 1, column: 1, field: "name", "missing column 'name' in the header"),
        ])
    }

    @Test func aByteOrderMarkIsNotPartOfTheFirstName() throws {
        let inferred = try CSVDecoder.decode([0xEF, 0xBB, 0xBF] + CodecTestSupport.bytes("id,name\n1,a\n"), schema: nil)
        #expect(inferred.schema.names == ["id", "name"])
        let schema = Schema([Field("id", .int64), Field("name", .string)])
        let declared = try CSVDecoder.decode([0xEF, 0xBB, 0xBF] + CodecTestSupport.bytes("id,name\n1,a\n"), schema: schema)
        #expect(declared == (try RecordBatch(schema: schema, rows: [[1, "a"]])))
    }

    @Test func aNullableFieldTheHeaderLacksIsNull() throws {
        let schema = Schema([Field("id", .int64), Field("name", .string)])
        let batch = try decode("id\n1\n2\n", schema)
        #expect(batch == (try RecordBatch(schema: schema, rows: [[1, nil], [2, nil]])))
    }

    @Test func malformedRecordsAreLocated() {
        let schema = Schema([Field("id", .int64, nullable: false), Field("name", .string)])
        let issues = CodecTestSupport.issues { try self.decode("id,name\n1,a\n2\nx,b\n,c\n3,\"open\n", schema) }
        #expect(issues == [
            DataIssue(line: 3, column: 1, "expected 2 fields, found 1"),
            DataIssue(line: 4, column: 1, field: "id", "expected Int64, found 'x'"),
            DataIssue(line: 5, column: 1, field: "id", "empty value in a non-nullable field"),
            DataIssue(line: 6, column: 3, "unterminated quoted field"),
        ])
        let stray = CodecTestSupport.issues { try self.decode("id,name\n1,a\"b\n", schema) }
        #expect(stray == [DataIssue(line: 2, column: 4, "quote inside an unquoted field")])
        let trailing = CodecTestSupport.issues { try self.decode("id,name\n2,\"c\"d\n", schema) }
        #expect(trailing == [DataIssue(line: 2, column: 6, "expected ',' after a closing quote")])
    }

    @Test func infersColumnTypes() throws {
        let batch = try decode("i,f,b,s,n,mixed\n1,2,true,x,,1\n-2,2.5,FALSE,3,,true\n,,,,,\n", nil)
        #expect(batch.schema == Schema([
            Field("i", .int64), Field("f", .float64), Field("b", .bool), Field("s", .string),
            Field("n", .null), Field("mixed", .string),
        ]))
        #expect(batch.rows == [[1, 2.0, true, "x", nil, "1"], [-2, 2.5, false, "3", nil, "true"], [nil, nil, nil, nil, nil, nil]])
    }

    @Test func listAndStructCellsAreJSON() throws {
        let schema = Schema([Field("l", .list(.int64)), Field("s", .structure([Field("a", .string)]))])
        let batch = try RecordBatch(schema: schema, rows: [[[1, 2], .structure(["x,y"])]])
        let text = encode(batch)
        #expect(text == "l,s\n\"[1,2]\",\"{\"\"a\"\":\"\"x,y\"\"}\"\n")
        #expect(try decode(text, schema) == batch)
        let issues = CodecTestSupport.issues { try self.decode("l,s\n\"[1,\"\"a\"\"]\",\n", schema) }
        #expect(issues == [DataIssue(line: 2, column: 1, field: "l", "expected Int64, found string (at byte 4 of the cell)")])
    }
}

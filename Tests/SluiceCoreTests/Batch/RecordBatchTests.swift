import Testing
import SluiceCore

/// Columnar batches: building from rows, and the operations the server and connectors use.
@Suite struct RecordBatchTests {
    let schema = Schema([
        Field("id", .int64, nullable: false), Field("name", .string), Field("score", .float64),
        Field("tags", .list(.string)), Field("point", .structure([Field("x", .int32), Field("y", .int32)])),
        Field("day", .date), Field("raw", .binary), Field("n", .uint8),
    ])

    func sample() throws -> RecordBatch {
        try RecordBatch(schema: schema, rows: [
            [1, "ada", 1.5, ["a", "b"], .structure([1, 2]), .date(0), .binary([0, 255]), .uint(7)],
            [2, nil, nil, [], nil, nil, nil, nil],
            [3, "grâce", -0.0, ["c"], .structure([nil, 4]), .date(19723), .binary([]), 255],
        ])
    }

    @Test func rowsRoundTripThroughTypedColumns() throws {
        let batch = try sample()
        #expect(batch.rowCount == 3)
        #expect(batch.rows[0] == [1, "ada", 1.5, ["a", "b"], .structure([1, 2]), .date(0), .binary([0, 255]), .uint(7)])
        #expect(batch.rows[1] == [2, nil, nil, [], nil, nil, nil, nil])
        #expect(batch.column(named: "name")?.nullCount == 1)
        #expect(batch.column(named: "id")?.validity == nil)
        #expect(batch.byteSize > 0)
    }

    @Test func valuesAreCheckedAgainstTheirTypes() throws {
        #expect(throws: SchemaError.self) { try RecordBatch(schema: schema, rows: [[nil, "x", 1.0, [], nil, nil, nil, nil]]) }
        #expect(throws: SchemaError.self) { try RecordBatch(schema: Schema([Field("n", .uint8)]), rows: [[256]]) }
        #expect(throws: SchemaError.self) { try RecordBatch(schema: Schema([Field("n", .int8)]), rows: [[-129]]) }
        #expect(throws: SchemaError.self) { try RecordBatch(schema: Schema([Field("s", .string)]), rows: [[1]]) }
        #expect(throws: SchemaError.self) { try RecordBatch(schema: Schema([Field("s", .string)]), rows: [["a", "b"]]) }
        // an integer fits a float column
        #expect(try RecordBatch(schema: Schema([Field("f", .float32)]), rows: [[3]]).rows == [[.float(3)]])
    }

    @Test func sliceProjectFilterAndConcatenate() throws {
        let batch = try sample()
        #expect(batch.slice(1..<3).rows == Array(batch.rows[1...2]))
        #expect(batch.head(2).rowCount == 2 && batch.head(10).rowCount == 3 && batch.head(-1).rowCount == 0)
        let projected = try batch.project(["tags", "id"])
        #expect(projected.schema.names == ["tags", "id"])
        #expect(projected.rows == batch.rows.map { [$0[3], $0[0]] })
        let filtered = batch.filter([true, false, true])
        #expect(filtered.rows == [batch.rows[0], batch.rows[2]])
        let both = try RecordBatch.concatenate([batch, batch.slice(1..<2), filtered])
        #expect(both.rows == batch.rows + [batch.rows[1]] + filtered.rows)
        #expect(throws: SchemaError.self) { try RecordBatch.concatenate([batch, projected]) }
        #expect(RecordBatch.empty(schema).rowCount == 0)
    }

    @Test func columnsMustMatchTheSchema() throws {
        let ids = ColumnBuilder(.int64)
        ids.append(int: 1)
        ids.appendNull()
        let column = ids.build()
        #expect(throws: SchemaError.self) { try RecordBatch(schema: Schema([Field("id", .int64, nullable: false)]), columns: [column]) }
        #expect(throws: SchemaError.self) { try RecordBatch(schema: Schema([Field("id", .string)]), columns: [column]) }
        #expect(try RecordBatch(schema: Schema([Field("id", .int64)]), columns: [column]).rows == [[1], [nil]])
    }
}

import Testing
import SluiceCore
@testable import SluiceConnectors

@Suite struct SQLiteSinkTests {
    static let allTypes = Schema([
        Field("b", .bool), Field("i8", .int8), Field("i16", .int16), Field("i32", .int32), Field("i64", .int64),
        Field("f32", .float32), Field("f64", .float64), Field("s", .string), Field("bin", .binary), Field("d", .date),
        Field("ts", .timestamp(unit: .microseconds, timezone: nil)), Field("tz", .timestampUTC),
    ])

    @Test func everyMappedTypeRoundTrips() async throws {
        let db = try SQLiteTestDatabase()
        let rows: [[Value]] = [
            [true, .int(-128), .int(-32768), .int(Int64(Int32.min)), .int(Int64.min), 1.5, -2.25e300, "héllo \"q\"",
             .binary([0, 1, 255]), .date(-1), .timestamp(1_700_000_000_123_456), .timestamp(-1)],
            [false, .int(127), .int(32767), .int(Int64(Int32.max)), .int(Int64.max), 0.0, 0.1, "", .binary([]),
             .date(19_723), .timestamp(0), .timestamp(86_400_000_000)],
            Array(repeating: .null, count: 12),
        ]
        let summary = try await db.load("t", [try RecordBatch(schema: Self.allTypes, rows: rows)])
        #expect(summary.rows == [[3, "t"]])
        let source = try db.source([("table", "t")])
        #expect(source.schema == Self.allTypes)
        #expect(try await servedRows(source, .none) == rows.sorted { "\($0)" < "\($1)" })
    }

    @Test func listsAreStoredAsJSONText() async throws {
        let db = try SQLiteTestDatabase()
        let schema = Schema([Field("id", .int64), Field("tags", .list(.string))])
        try await db.load("t", [try RecordBatch(schema: schema, rows: [[1, ["a", "b"]], [2, []], [3, nil]])])
        #expect(try db.strings("SELECT coalesce(tags, 'null') FROM t ORDER BY id") == ["[\"a\",\"b\"]", "[]", "null"])
        #expect(try db.source([("table", "t")]).schema == Schema([Field("id", .int64), Field("tags", .string)]))
    }

    @Test func aBatchWithABadRowWritesNothing() async throws {
        let db = try SQLiteTestDatabase()
        try db.execute("CREATE TABLE t (id INTEGER NOT NULL, name TEXT)")
        let schema = Schema([Field("id", .int64), Field("name", .string)])
        let good = try RecordBatch(schema: schema, rows: [[1, "a"], [2, "b"]])
        let bad = try RecordBatch(schema: schema, rows: [[3, "c"], [nil, "d"]])
        let sink = try db.sink(table: "t")
        try await sink.start()
        await #expect { _ = try await sink.write(RecordBatchStream([good, bad])) } throws: { error in
            (error as? SchemaError).map { $0.column == "id" && $0.message.contains("row 4 of the upload") } == true
        }
        let results = try await sink.write(RecordBatchStream([good]))
        _ = try await sink.finalize(results)
        #expect(try db.count("t") == 2)
        #expect(try db.tables() == ["t"])
    }

    @Test func aTypeThatDoesNotFitIsRefusedByColumn() async throws {
        let db = try SQLiteTestDatabase()
        try db.execute("CREATE TABLE t (id INTEGER)")
        let sink = try db.sink(table: "t")
        let batch = try RecordBatch(schema: Schema([Field("id", .string)]), rows: [["x"]])
        await #expect { _ = try await sink.write(RecordBatchStream([batch])) } throws: { error in
            "\(error)".contains("column 'id' is String in the upload")
        }
        let extra = try RecordBatch(schema: Schema([Field("other", .int64)]), rows: [[1]])
        await #expect { _ = try await sink.write(RecordBatchStream([extra])) } throws: { error in
            "\(error)".contains("has no column 'other'")
        }
    }

    @Test func abortAndAKilledUploadLeaveTheTargetUntouched() async throws {
        let db = try SQLiteTestDatabase()
        let schema = Schema([Field("id", .int64)])
        try await db.load("t", [try RecordBatch(schema: schema, rows: [[1]])])
        let sink = try db.sink(table: "t")
        try await sink.start()
        let staged = try await sink.write(RecordBatchStream([try RecordBatch(schema: schema, rows: [[2], [3]])]))
        #expect(try db.tables().count == 2)
        await #expect(throws: UploadInterrupted.self) {
            _ = try await sink.write(failingStream(after: [try RecordBatch(schema: schema, rows: [[4]])]))
        }
        try await sink.abort(staged)
        #expect(try db.tables() == ["t"])
        #expect(try db.strings("SELECT id FROM t") == ["1"])
        // A new table is not created by an aborted session either.
        let other = try db.sink(table: "fresh")
        try await other.abort(try await other.write(RecordBatchStream([try RecordBatch(schema: schema, rows: [[1]])])))
        #expect(try db.tables() == ["t"])
    }

    @Test func upsertUpdatesRowsWithAnExistingKey() async throws {
        let db = try SQLiteTestDatabase()
        let schema = Schema([Field("id", .int64), Field("name", .string)])
        let upsert: [(String, OptionValue)] = [("mode", "upsert"), ("key", .list(["id"]))]
        try await db.load("t", [try RecordBatch(schema: schema, rows: [[1, "a"], [2, "b"]])], upsert)
        let summary = try await db.load("t", [try RecordBatch(schema: schema, rows: [[2, "B"], [3, "c"]])], upsert)
        #expect(summary.rows == [[2, "t"]])
        #expect(try db.strings("SELECT id || name FROM t ORDER BY id") == ["1a", "2B", "3c"])
        try await db.load("t", [try RecordBatch(schema: schema, rows: [[1, "again"]])], upsert)
        // Appending a key that exists fails the whole finalize: nothing of it lands.
        _ = try? await db.load("t", [try RecordBatch(schema: schema, rows: [[4, "d"], [1, "dup"]])])
        #expect(try db.strings("SELECT id || name FROM t ORDER BY id") == ["1again", "2B", "3c"])
    }

    @Test func concurrentWritesOfOneSessionAllLand() async throws {
        let db = try SQLiteTestDatabase()
        let schema = Schema([Field("id", .int64)])
        let sink = try db.sink(table: "t")
        try await sink.start()
        let results = try await withThrowingTaskGroup(of: [ErasedWriteResult].self) { group in
            for w in 0..<4 {
                group.addTask {
                    let rows = (0..<500).map { [Value.int(Int64(w * 500 + $0))] }
                    return try await sink.write(RecordBatchStream([try RecordBatch(schema: schema, rows: rows)]))
                }
            }
            var all: [ErasedWriteResult] = []
            for try await r in group { all += r }
            return all
        }
        #expect(try await sink.finalize(results).rows == [[2000, "t"]])
        #expect(try db.strings("SELECT count(DISTINCT id) FROM t") == ["2000"])
    }

    @Test func optionErrorsNameTheirPath() throws {
        let db = try SQLiteTestDatabase()
        let type = BuiltinConnectors.sqlite
        #expect(optionErrorText { _ = try makeConnector(type, [("table", "t")]) } == "connectors[0].options.path: is required")
        #expect(optionErrorText { _ = try makeConnector(type, [("path", .string(db.path))]) }
                == "connectors[0].options.table: is required (or query, for a source)")
        #expect(optionErrorText { _ = try makeConnector(type, [("path", .string(db.path)), ("table", "t"), ("mode", "merge")], kind: .sink) }
                == "connectors[0].options.mode: must be one of append, upsert, not 'merge'")
        #expect(optionErrorText { _ = try makeConnector(type, [("path", .string(db.path)), ("table", "t"), ("mode", "upsert")], kind: .sink) }
                == "connectors[0].options.key: is required by mode upsert (the key columns)")
        #expect(optionErrorText { _ = try makeConnector(type, [("path", .string(db.path)), ("query", "SELECT 1")], kind: .sink) }
                == "connectors[0].options.query: a sqlite sink writes to a table; give table, not query")
        #expect(optionErrorText { _ = try makeConnector(type, [("path", .string(db.path)), ("table", "t"), ("partitons", 2)]) }?.hasPrefix("connectors[0].options.partitons: unknown option, did you mean 'partitions'?") == true)
        try db.execute("CREATE TABLE other (x INTEGER)")
        #expect(optionErrorText { _ = try makeConnector(type, [("path", .string(db.path)), ("table", "missing")]) }
                == "connectors[0].options.table: no table 'missing' in the database")
    }
}

import Testing
import SluiceCore
@testable import SluiceConnectors

@Suite(.enabled(if: PostgresTestServer.shouldRun), .serialized) struct PostgresSinkTests {
    typealias PG = PostgresTestServer

    static let allTypes = Schema([
        Field("b", .bool), Field("i16", .int16), Field("i32", .int32), Field("i64", .int64), Field("f32", .float32),
        Field("f64", .float64), Field("s", .string), Field("bin", .binary), Field("d", .date),
        Field("ts", .timestamp(unit: .microseconds, timezone: nil)), Field("tz", .timestampUTC),
        Field("li", .list(.int64)), Field("ls", .list(.string)),
    ])

    @Test func everyMappedTypeRoundTrips() async throws {
        let table = PG.tableName("types")
        let rows: [[Value]] = [
            [true, .int(-32768), .int(Int64(Int32.min)), .int(Int64.min), 1.5, -2.25e300, "tab\there \\ \"q\"\nline é",
             .binary([0, 1, 255, 92]), .date(-1), .timestamp(1_700_000_000_123_456), .timestamp(-1),
             [1, nil, 3], ["a,b", "{x}", nil, "q\"\\", ""]],
            [false, .int(32767), .int(Int64(Int32.max)), .int(Int64.max), .float(Double(Float(0.1))), 0.1, "", .binary([]),
             .date(19_723), .timestamp(0), .timestamp(86_400_000_000), [], []],
            Array(repeating: .null, count: 13),
        ]
        let summary = try await PG.load(table, [try RecordBatch(schema: Self.allTypes, rows: rows)])
        #expect(summary.rows == [[3, .string(table)]])
        let source = try PG.source([("table", .string(table))])
        #expect(source.schema == Self.allTypes)
        #expect(try await servedRows(source, .none) == rows.sorted { "\($0)" < "\($1)" })
    }

    @Test func numericJSONAndOtherTypesReadAsText() async throws {
        let table = PG.tableName("text_types")
        try await PG.execute("CREATE TABLE \(table) (n numeric(12,3), j jsonb, u uuid, v varchar(5))")
        try await PG.execute("INSERT INTO \(table) VALUES (1234.5, '{\"a\": [1, 2]}', '00000000-0000-0000-0000-000000000001', 'abc')")
        let asText = try PG.source([("table", .string(table))])
        #expect(asText.schema == Schema([Field("n", .string), Field("j", .string), Field("u", .string), Field("v", .string)]))
        #expect(try await servedRows(asText, .none) == [["1234.500", "{\"a\": [1, 2]}", "00000000-0000-0000-0000-000000000001", "abc"]])
        let asFloat = try PG.source([("table", .string(table)), ("numeric", "float64")])
        #expect(try await servedRows(asFloat, Pushdowns(columns: ["n"])) == [[1234.5]])
    }

    @Test func aBatchWithABadRowWritesNothing() async throws {
        let table = PG.tableName("bad")
        try await PG.execute("CREATE TABLE \(table) (id bigint NOT NULL, name varchar(3))")
        let schema = Schema([Field("id", .int64), Field("name", .string)])
        let good = try RecordBatch(schema: schema, rows: [[1, "a"], [2, "b"]])
        let sink = try PG.sink(table: table)
        try await sink.start()
        for bad in [try RecordBatch(schema: schema, rows: [[3, "c"], [nil, "d"]]), try RecordBatch(schema: schema, rows: [[4, "toolong"]])] {
            // The client's data broke a rule (NOT NULL, a length): a SchemaError, answered with a 4xx.
            await #expect(throws: SchemaError.self) { _ = try await sink.write(RecordBatchStream([good, bad])) }
        }
        _ = try await sink.finalize(try await sink.write(RecordBatchStream([good])))
        #expect(try await PG.strings("SELECT count(*)::text FROM \(table)") == ["2"])
        #expect(try await PG.stagingTables(of: sink).isEmpty)
    }

    @Test func abortAndAKilledUploadLeaveTheTargetUntouched() async throws {
        let table = PG.tableName("abort")
        let schema = Schema([Field("id", .int64)])
        try await PG.load(table, [try RecordBatch(schema: schema, rows: [[1]])])
        let sink = try PG.sink(table: table)
        try await sink.start()
        let staged = try await sink.write(RecordBatchStream([try RecordBatch(schema: schema, rows: [[2], [3]])]))
        await #expect(throws: UploadInterrupted.self) {
            _ = try await sink.write(failingStream(after: [try RecordBatch(schema: schema, rows: [[4]])]))
        }
        try await sink.abort(staged)
        #expect(try await PG.strings("SELECT id::text FROM \(table)") == ["1"])
        #expect(try await PG.stagingTables(of: sink).isEmpty)
        let fresh = PG.tableName("never")
        let other = try PG.sink(table: fresh)
        try await other.abort(try await other.write(RecordBatchStream([try RecordBatch(schema: schema, rows: [[1]])])))
        #expect(try await PG.tables(like: fresh).isEmpty)
    }

    @Test func upsertUpdatesRowsWithAnExistingKey() async throws {
        let table = PG.tableName("upsert")
        let schema = Schema([Field("id", .int64), Field("name", .string)])
        let upsert: [(String, OptionValue)] = [("mode", "upsert"), ("key", "id")]
        try await PG.load(table, [try RecordBatch(schema: schema, rows: [[1, "a"], [2, "b"]])], upsert)
        let summary = try await PG.load(table, [try RecordBatch(schema: schema, rows: [[2, "B"], [3, "c"]])], upsert)
        #expect(summary.rows == [[2, .string(table)]])
        #expect(try await PG.strings("SELECT id || name FROM \(table) ORDER BY id") == ["1a", "2B", "3c"])
        // A duplicate key in an append is the client's data breaking a rule: a SchemaError (422).
        await #expect(throws: SchemaError.self) {
            try await PG.load(table, [try RecordBatch(schema: schema, rows: [[4, "d"], [1, "dup"]])])
        }
        #expect(try await PG.strings("SELECT id || name FROM \(table) ORDER BY id") == ["1a", "2B", "3c"])
    }

    @Test func secretsStayOutOfDescriptionsAndErrors() async throws {
        let password = PG.password
        let sink = try PG.sink(table: "t")
        #expect(!sink.name.contains(password))
        let wrong = "not-the-password-\(password.count)"
        let bad = try sinkFactory(of: makeConnector(BuiltinConnectors.postgres, try PG.options(password: wrong) + [("table", "t")],
                                                    kind: .sink)).make()
        do {
            _ = try await bad.write(RecordBatchStream([try RecordBatch(schema: Schema([Field("id", .int64)]), rows: [[1]])]))
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(!"\(error)".contains(wrong))
            #expect(!String(reflecting: error).contains(wrong))
        }
        let error = optionErrorText { _ = try makeConnector(BuiltinConnectors.postgres, try PG.options(password: wrong) + [("table", "t")]) }
        #expect(error != nil)
        #expect(!(error ?? "").contains(wrong))
    }

    @Test func optionErrorsNameTheirPath() throws {
        let type = BuiltinConnectors.postgres
        #expect(optionErrorText { _ = try makeConnector(type, [("user", "u"), ("table", "t")]) }
                == "connectors[0].options.database: is required")
        #expect(optionErrorText { _ = try makeConnector(type, [("database", "d"), ("user", "u"), ("table", "t"), ("sslmode", "verify-full")]) }
                == "connectors[0].options.sslmode: must be one of disable, prefer, require, not 'verify-full'")
        #expect(optionErrorText { _ = try makeConnector(type, [("database", "d"), ("user", "u"), ("password", "p"), ("password_file", "f"), ("table", "t")]) }
                == "connectors[0].options.password: give password or password_file, not both")
        #expect(optionErrorText { _ = try makeConnector(type, [("database", "d"), ("user", "u"), ("table", "t"), ("mode", "upsert")], kind: .sink) }
                == "connectors[0].options.key: is required by mode upsert (the key columns)")
    }

    @Test func resumeFinalizeTwiceAndTheSweepKeepEveryRowOnce() async throws {
        let table = PG.tableName("recovery")
        let schema = Schema([Field("id", .int64)])
        let factory = try PG.factory(table: table)
        let (session, orphan) = (WriteSessionID.random(), WriteSessionID.random())
        let before = try factory.make(session: session)
        let acknowledged = try await before.write(RecordBatchStream([try RecordBatch(schema: schema, rows: [[1], [2]])]))
        _ = try await before.write(RecordBatchStream([try RecordBatch(schema: schema, rows: [[3]])]))  // cut off by a crash
        let stray = try factory.make(session: orphan)
        _ = try await stray.write(RecordBatchStream([try RecordBatch(schema: schema, rows: [[9]])]))
        #expect(try await PG.stagingTables(of: before).count == 2)

        let after = try factory.make(session: session)
        try await after.resume(acknowledged)
        #expect(try await PG.stagingTables(of: after).count == 1)
        try await factory.prototype.removeStaging(keeping: [session])
        #expect(try await PG.stagingTables(of: stray).isEmpty)
        #expect(try await PG.stagingTables(of: after).count == 1)

        #expect(try await after.finalize(acknowledged).rows == [[2, .string(table)]])
        #expect(try await factory.make(session: session).finalize(acknowledged).rows == [[2, .string(table)]])
        #expect(try await PG.strings("SELECT count(*)::text FROM \(table)") == ["2"])
        #expect(try await PG.stagingTables(of: after).isEmpty)
    }
}

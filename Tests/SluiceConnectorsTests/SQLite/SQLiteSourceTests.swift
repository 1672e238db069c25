import Testing
import SluiceCore
@testable import SluiceConnectors

@Suite struct SQLiteSourceTests {
    @Test func schemaComesFromDeclaredTypes() throws {
        let db = try SQLiteTestDatabase()
        try db.execute("""
            CREATE TABLE t (a INTEGER NOT NULL, b VARCHAR(20), c DOUBLE, d BOOLEAN, e BLOB, f DATE, g DATETIME,
                            h TIMESTAMPTZ, i SMALLINT, j DECIMAL(10,2), k JSON, l)
            """)
        let source = try db.source([("table", "t")])
        #expect(source.schema == Schema([
            Field("a", .int64, nullable: false), Field("b", .string), Field("c", .float64), Field("d", .bool),
            Field("e", .binary), Field("f", .date), Field("g", .timestamp(unit: .microseconds, timezone: nil)),
            Field("h", .timestampUTC), Field("i", .int16), Field("j", .float64), Field("k", .string), Field("l", .string),
        ]))
    }

    /// Without `partitions`, a table gets one task per 32 MiB of it (its pages in `dbstat`).
    @Test func tasksArePlannedFromTheTablesSize() async throws {
        let db = try SQLiteTestDatabase()
        try db.execute("CREATE TABLE big (id INTEGER PRIMARY KEY, pad BLOB)")
        try db.execute("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 80000)
            INSERT INTO big SELECT i, randomblob(1000) FROM n
            """)
        try db.execute("CREATE TABLE small (id INTEGER)")
        try db.execute("INSERT INTO small VALUES (1), (2)")
        let big = try db.source([("table", "big")])
        let tasks = try await big.tasks(.none)
        #expect(tasks.count == 3, "80 MB in 32 MiB tasks")
        var rows = 0
        for task in try await big.tasks(Pushdowns(columns: ["id"])) { for try await batch in task.read() { rows += batch.rowCount } }
        #expect(rows == 80000)
        #expect(try await db.source([("table", "small")]).tasks(.none).count == 1)
        #expect(try await db.source([("table", "big"), ("partitions", 1)]).tasks(.none).count == 1)
    }

    @Test func pushdownGivesTheSameRowsAsAPlainRead() async throws {
        let db = try SQLiteTestDatabase()
        try await db.load("t", [try RecordBatch(schema: comparisonSchema, rows: comparisonRows(120))])
        let pushed = try db.source([("table", "t"), ("partitions", 3)])
        let plain = try SQLiteSource(path: db.path, relation: .table("t"), partitions: 3, pushdownEnabled: false)
        for text in comparisonFilters {
            for columns in [nil, ["name"], ["day", "id"]] as [[String]?] {
                for limit in [nil, 5] as [Int?] {
                    let pushdowns = Pushdowns(columns: columns, filter: try ExpressionParser.parse(text), limit: limit)
                    let expected = try await servedRows(plain, pushdowns)
                    let got = try await servedRows(pushed, pushdowns)
                    if limit == nil { #expect(got == expected, "where \(text), columns \(columns ?? [])") }
                    else { #expect(got.count == expected.count, "where \(text) limit") }
                }
            }
        }
        // The filter actually reached SQL: a pushed read yields only matching rows.
        let task = try await pushed.tasks(Pushdowns(filter: try ExpressionParser.parse("id <= 3")))
        var count = 0
        for t in task { for try await b in t.read() { count += b.rowCount } }
        #expect(count == 3)
    }

    @Test func injectionThroughValuesAndNamesHasNoEffect() async throws {
        let db = try SQLiteTestDatabase()
        let evil = "x\"; DROP TABLE t; --"
        let schema = Schema([Field("id", .int64), Field(evil, .string)])
        try await db.load("t", [try RecordBatch(schema: schema, rows: [[1, "'; DROP TABLE t; --"], [2, "b"]])])
        let source = try db.source([("table", "t")])
        let filter = Expression.or(
            .compare(.equal, .column(evil), .literal("'; DROP TABLE t; --")),
            .compare(.equal, .column(evil), .literal("b' OR '1'='1")))
        let rows = try await servedRows(source, Pushdowns(columns: ["id", evil], filter: filter))
        #expect(rows == [[1, "'; DROP TABLE t; --"]])
        #expect(try db.tables() == ["t"])
        #expect(try db.count("t") == 2)
    }

    @Test func parallelTasksCoverEveryRowOnce() async throws {
        let db = try SQLiteTestDatabase()
        try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
        try db.execute("WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 10000) INSERT INTO t SELECT i * 3, 'v' || i FROM s")
        try db.execute("DELETE FROM t WHERE id % 7 = 0")
        let expected = try db.strings("SELECT id FROM t ORDER BY id").map { Value.int(Int64($0)!) }
        for partitions in [1, 4, 7] {
            let source = try db.source([("table", "t"), ("partitions", .int(partitions)), ("batch_rows", 1000)])
            let tasks = try await source.tasks(.none)
            #expect(tasks.count == partitions)
            let rows = try await servedRows(source, Pushdowns(columns: ["id"]))
            let ids = rows.map { row -> Int64 in if case let .int(i) = row[0] { return i } else { return -1 } }
            #expect(ids.sorted() == expected.map { if case let .int(i) = $0 { return i } else { return -2 } })
        }
    }

    @Test func querySourceReadsItsColumnsAndRefusesWrites() async throws {
        let db = try SQLiteTestDatabase()
        try db.execute("CREATE TABLE t (id INTEGER, name TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'b'), (3, NULL)")
        let source = try db.source([("query", "SELECT id, upper(name) AS big, id * 1.5 AS half FROM t;")])
        #expect(source.schema == Schema([Field("id", .int64), Field("big", .string), Field("half", .float64)]))
        let rows = try await servedRows(source, Pushdowns(filter: try ExpressionParser.parse("id >= 2")))
        #expect(rows == [[2, "B", 3.0], [3, nil, 4.5]])
        let error = optionErrorText { _ = try db.source([("query", "DELETE FROM t")]) }
        #expect(error == "connectors[0].options.query: the query must only read (a SELECT)")
        #expect(try db.count("t") == 3)
    }

    @Test func descriptionsNameTheTableNotTheQuery() throws {
        let db = try SQLiteTestDatabase()
        try db.execute("CREATE TABLE t (id INTEGER)")
        let source = try db.source([("query", "SELECT id FROM t WHERE 'secret-token' <> ''")])
        #expect(!source.name.contains("secret-token"))
        #expect(source.name.contains("a query"))
    }
}

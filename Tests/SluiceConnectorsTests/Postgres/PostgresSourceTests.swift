import Testing
import SluiceCore
@testable import SluiceConnectors

@Suite(.enabled(if: PostgresTestServer.shouldRun), .serialized) struct PostgresSourceTests {
    typealias PG = PostgresTestServer

    @Test func pushdownGivesTheSameRowsAsAPlainRead() async throws {
        let table = PG.tableName("compare")
        try await PG.load(table, [try RecordBatch(schema: comparisonSchema, rows: comparisonRows(120))])
        let pushed = try PG.source([("table", .string(table)), ("partitions", 3), ("split_column", "id")])
        let plain = try #require(pushed as? PostgresSource).ignoringPushdowns()
        for text in comparisonFilters + ["day < '2024-01-03' OR day IS NULL"] {
            for columns in [nil, ["name"], ["day", "id"]] as [[String]?] {
                let pushdowns = Pushdowns(columns: columns, filter: try ExpressionParser.parse(text))
                #expect(try await servedRows(pushed, pushdowns) == servedRows(plain, pushdowns), "where \(text)")
            }
        }
        var count = 0
        for task in try await pushed.tasks(Pushdowns(filter: try ExpressionParser.parse("id <= 3"), limit: 2)) {
            for try await batch in task.read() { count += batch.rowCount }
        }
        #expect(count <= 2 * 3)
        #expect(count >= 2)
    }

    @Test func injectionThroughValuesAndNamesHasNoEffect() async throws {
        let table = PG.tableName("inject")
        let evil = "x\"; DROP TABLE \(table); --"
        let schema = Schema([Field("id", .int64), Field(evil, .string)])
        try await PG.load(table, [try RecordBatch(schema: schema, rows: [[1, "'; DROP TABLE t; --"], [2, "b"]])])
        let source = try PG.source([("table", .string(table))])
        let filter = Expression.or(
            .compare(.equal, .column(evil), .literal("'; DROP TABLE t; --")),
            .compare(.equal, .column(evil), .literal("b' OR '1'='1")))
        #expect(try await servedRows(source, Pushdowns(columns: ["id", evil], filter: filter)) == [[1, "'; DROP TABLE t; --"]])
        #expect(try await PG.strings("SELECT count(*)::text FROM \(table)") == ["2"])
    }

    @Test func parallelTasksCoverEveryRowOnce() async throws {
        let table = PG.tableName("split")
        try await PG.execute("CREATE TABLE \(table) (id bigint, pad text)")
        try await PG.execute("INSERT INTO \(table) SELECT i * 3, repeat('x', 200) FROM generate_series(1, 20000) i")
        try await PG.execute("INSERT INTO \(table) VALUES (NULL, 'null key')")
        try await PG.execute("DELETE FROM \(table) WHERE id % 7 = 0")
        let expected = Int(try await PG.strings("SELECT count(*)::text FROM \(table)")[0])!
        for options in [[("split_column", OptionValue.string("id"))], []] {
            for partitions in [1, 4, 7] {
                let source = try PG.source([("table", .string(table)), ("partitions", .int(partitions)), ("batch_rows", 1000)] + options)
                #expect(try await source.tasks(.none).count == partitions)
                let rows = try await servedRows(source, Pushdowns(columns: ["id"]))
                #expect(rows.count == expected)
                #expect(Set(rows.map { "\($0[0])" }).count == expected, "\(options) \(partitions)")
            }
        }
    }

    /// Without `partitions`, a table gets one task per 32 MiB of it: a big table is read in
    /// parallel by default, a small one is one task.
    @Test func tasksArePlannedFromTheTablesSize() async throws {
        let big = PG.tableName("sized")
        try await PG.execute("CREATE TABLE \(big) (id bigint, pad text)")
        try await PG.execute("INSERT INTO \(big) SELECT i, rpad(md5(i::text), 600, md5((i + 1)::text)) FROM generate_series(1, 80000) i")
        let bytes = Int64(try await PG.strings("SELECT pg_relation_size('\(big)')::text")[0])!
        let source = try PG.source([("table", .string(big))])
        let tasks = try await source.tasks(.none)
        #expect(tasks.count == TableTaskPlan.partitions(tableBytes: bytes) && tasks.count > 1, "\(bytes) bytes")
        #expect(try await servedRows(source, Pushdowns(columns: ["id"])).count == 80000)
        let small = PG.tableName("unsized")
        try await PG.execute("CREATE TABLE \(small) (id bigint)")
        try await PG.execute("INSERT INTO \(small) SELECT generate_series(1, 100)")
        #expect(try await PG.source([("table", .string(small))]).tasks(.none).count == 1)
    }

    @Test func querySourceReadsOneTask() async throws {
        let table = PG.tableName("query")
        try await PG.execute("CREATE TABLE \(table) (id int, name text)")
        try await PG.execute("INSERT INTO \(table) VALUES (1, 'a'), (2, 'b')")
        let source = try PG.source([("query", .string("SELECT id, upper(name) AS big FROM \(table);")), ("partitions", 3)])
        #expect(source.schema == Schema([Field("id", .int32), Field("big", .string)]))
        #expect(try await source.tasks(.none).count == 1)
        #expect(try await servedRows(source, Pushdowns(filter: try ExpressionParser.parse("big = 'B'"))) == [[2, "B"]])
        #expect(!source.name.contains(table))
    }

    @Test func anUnknownTableIsAnOptionError() throws {
        let error = optionErrorText { _ = try PG.source([("table", "no_such_table_here")]) }
        #expect(error?.hasPrefix("connectors[0].options.table: reading the columns of table no_such_table_here") == true, "\(error ?? "")")
    }
}

import PostgresNIO
import SluiceCore

/// Reads a PostgreSQL table or read-only query through the connector's pool.
///
/// Schema: the result columns of `SELECT * FROM relation LIMIT 0` mapped by
/// `PostgresTypeMapping` (NOT NULL table columns are not nullable). Tasks: with
/// `split_column` (an integer column), `partitions` ranges between its min and max (NULLs in
/// the first); a table without one is split into ranges of `ctid` pages; without
/// `partitions`, a table gets one range per 32 MiB of its storage (`TableTaskPlan`); a query
/// is one task.
/// Pushdowns become SQL as for SQLite (`SQLSelect`); filters on columns read as text
/// (numeric, json, other types) and on arrays stay with the server. Rows stream from a
/// server-side portal with backpressure, decoded from the binary format into batches of
/// `batchRows`.
public struct PostgresSource: DataSource {
    let pool: PostgresPool
    let relation: SQLRelation
    /// Ranges to plan; nil plans them from the table's size (`TableTaskPlan`).
    let partitions: Int?
    let splitColumn: String?
    let batchRows: Int
    let pushdownEnabled: Bool
    let columns: [PostgresTypeMapping.ReadColumn]
    public let schema: Schema

    public var name: String { "PostgreSQL \(relation.label) at \(pool.settings)" }

    /// Reads the relation's columns from the server (synchronously: see
    /// `PostgresSchemaReader`) and checks `splitColumn`.
    static func make(pool: PostgresPool, relation: SQLRelation, partitions: Int?, splitColumn: String?, batchRows: Int,
                     numericAsFloat: Bool, pushdownEnabled: Bool = true) throws -> PostgresSource {
        let described: [PostgresSchemaReader.Column]
        do {
            described = try PostgresSchemaReader.columns(of: relation, settings: pool.settings, logger: pool.logger)
        } catch let error as PSQLError {
            throw pool.failure("reading the columns of \(relation.label)", error)
        } catch let error as PostgresError {
            // The future-based API reports server errors in its older form.
            var text = "\(error)"
            if case let .server(message) = error, let server = message.fields[.message] { text = server }
            throw ConnectorError(connector: "postgres", "reading the columns of \(relation.label): \(text)")
        }
        let columns = described.map { PostgresTypeMapping.readColumn(oid: $0.type, numericAsFloat: numericAsFloat) }
        let schema: Schema
        do {
            schema = try Schema(validating: zip(described, columns).map { Field($0.name, $1.type, nullable: !$0.notNull) })
        } catch let error as SchemaError {
            throw ConnectorError(connector: "postgres", "the query's columns: \(error.message); name them apart with AS")
        }
        if let splitColumn {
            guard let field = schema.field(named: splitColumn), [.int16, .int32, .int64].contains(field.type) else {
                throw ConnectorError(connector: "postgres", "split_column '\(splitColumn)' must be an integer column of \(relation.label)")
            }
        }
        return PostgresSource(pool: pool, relation: relation, partitions: partitions, splitColumn: splitColumn, batchRows: batchRows,
                              pushdownEnabled: pushdownEnabled, columns: columns, schema: schema)
    }

    /// The same source, reading everything whatever the pushdowns (tests compare with it).
    func ignoringPushdowns() -> PostgresSource {
        PostgresSource(pool: pool, relation: relation, partitions: partitions, splitColumn: splitColumn, batchRows: batchRows,
                       pushdownEnabled: false, columns: columns, schema: schema)
    }

    public func tasks(_ pushdowns: Pushdowns) async throws -> [any DataSourceTask] {
        let used = pushdownEnabled ? pushdowns : .none
        let plan = ReadPlan(source: schema, pushdowns: used)
        let byName = Dictionary(uniqueKeysWithValues: zip(schema.names, columns))
        let translator = SQLFilterTranslator(schema: schema) { byName[$0.name]?.comparable ?? false }
        return try await ranges().map { range in
            let select = SQLSelect(dialect: .postgres, relation: relation, plan: plan, pushdowns: used, translator: translator,
                                   range: range, cast: { byName[$0]?.cast ?? "" })
            return PostgresReadTask(pool: pool, select: select, schema: plan.schema,
                                    decoders: plan.schema.names.map { byName[$0]!.decoder }, batchRows: batchRows)
        }
    }

    /// The split conditions: by `split_column` value, by `ctid` page, or one unbounded task.
    private func ranges() async throws -> [(String, [Value])?] {
        guard partitions != 1, case let .table(table) = relation else { return [nil] }
        let size = try await scalars("SELECT pg_relation_size($1::text::regclass)::int8, current_setting('block_size')::int8",
                                     [.string(SQLDialect.quoteQualified(table))])
        let bytes = size[0] ?? 0, blockSize = max(size[1] ?? 8192, 1)
        let partitions = self.partitions ?? TableTaskPlan.partitions(tableBytes: bytes)
        guard partitions > 1 else { return [nil] }
        if let splitColumn {
            let column = SQLDialect.quote(splitColumn)
            let bounds = try await scalars("SELECT min(\(column))::int8, max(\(column))::int8 FROM \(relation.fromClause)")
            guard let low = bounds[0], let high = bounds[1] else { return [nil] }
            let starts = Self.split(low: low, high: high, parts: partitions).map { Value.int($0) }
            return Self.conditions(column, starts: starts, cast: "", nullsInFirst: true)
        }
        let pages = bytes / blockSize
        guard pages > 0 else { return [nil] }
        let starts = Self.split(low: 0, high: pages - 1, parts: partitions).map { Value.string("(\($0),0)") }
        return Self.conditions("ctid", starts: starts, cast: "::tid", nullsInFirst: false)
    }

    /// Consecutive ranges `[starts[k], starts[k+1])` of `expression`, the first without a
    /// lower bound and the last without an upper one, so that every row falls in exactly one
    /// (and rows added later in the last).
    static func conditions(_ expression: String, starts: [Value], cast: String, nullsInFirst: Bool) -> [(String, [Value])?] {
        starts.indices.map { k in
            var parts: [String] = [], values: [Value] = []
            if k > 0 { parts.append("\(expression) >= ?\(cast)"); values.append(starts[k]) }
            if k < starts.count - 1 { parts.append("\(expression) < ?\(cast)"); values.append(starts[k + 1]) }
            guard !parts.isEmpty else { return nil }
            let condition = parts.joined(separator: " AND ")
            return (k == 0 && nullsInFirst ? "(\(expression) IS NULL OR \(condition))" : condition, values)
        }
    }

    /// `parts` even starting points of `low...high`.
    static func split(low: Int64, high: Int64, parts: Int) -> [Int64] {
        let span = Double(high) - Double(low) + 1
        return (0..<parts).map { low + Int64((span * Double($0) / Double(parts)).rounded(.down)) }
    }

    private func scalars(_ sql: String, _ parameters: [Value] = []) async throws -> [Int64?] {
        try await pool.withConnection("splitting \(relation.label)") { connection in
            var out: [Int64?] = []
            for try await (a, b) in try await connection.query(PostgresQuery(sql: sql, parameters: parameters), logger: pool.logger)
                .decode((Int64?, Int64?).self) { out = [a, b] }
            return out.isEmpty ? [nil, nil] : out
        }
    }
}

import Foundation
import PostgresNIO
import SluiceCore

/// Writes rows into a PostgreSQL table, all or nothing per session.
///
/// Each `write` call streams its batches with `COPY ... FROM STDIN` (text format,
/// `PostgresCopyEncoder`) into an UNLOGGED staging table of its own, created in the same
/// transaction, so a write that fails leaves nothing. The staging table's columns are
/// `c1...cn` (the upload's names are kept in the result: no user text reaches COPY's
/// column list) typed as the target's columns when the target exists (with its NOT NULL
/// constraints), else by `PostgresTypeMapping`. The first batch fixes an upload's columns; a
/// later batch may lack some (NULL) but not add any. `finalize` moves every staged row into
/// the target in one transaction (creating it when missing, with the key as PRIMARY KEY for
/// upserts; `upsert` updates rows whose key exists), drops the staging tables and records the
/// session in `_sluice_finalized` in the same transaction, so a finalize run again after a
/// crash writes nothing twice. `abort` drops every staging table of the session, `resume`
/// those its results do not name, so an aborted or failed session leaves the target untouched.
/// Staging tables are `_sluice_stage_<session>_<random>` in the connection's search path.
///
/// Summary: one row `rows_written Int64, table String`.
public final class PostgresSink: DataSink {
    /// The staging table one write filled and the upload's column names, in order.
    public struct StagedTable: Codable, Sendable, Hashable {
        public var table: String
        public var columns: [String]
    }

    public static let summarySchema = SQLiteSink.summarySchema
    static let stagingPrefix = "_sluice_stage_"

    let pool: PostgresPool
    public let table: String
    let mode: TableWriteMode
    static let finalizedTable = "_sluice_finalized"
    /// The write session this instance serves.
    let session: String
    /// Names this session's staging tables.
    private var stagePrefix: String { Self.stagingPrefix + WriteSessionID.compact(session) + "_" }

    public var name: String { "PostgreSQL table \(table) at \(pool.settings)" }
    public var schema: Schema { Self.summarySchema }

    init(pool: PostgresPool, table: String, mode: TableWriteMode, session: String = WriteSessionID.random()) {
        precondition(WriteSessionID.isValid(session), "not a session id: \(session)")
        self.pool = pool
        self.table = table
        self.mode = mode
        self.session = session
    }

    public func write(_ batches: RecordBatchStream) async throws -> [WriteResult<StagedTable>] {
        let stage = stagePrefix + WriteSessionID.compact(WriteSessionID.random()).prefix(16)
        let iterator = batches.makeAsyncIterator()
        guard let first = try await iterator.next() else { return [] }
        let names = first.schema.names
        guard !names.isEmpty else { throw ConnectorError(connector: "postgres", "an upload without columns cannot be written") }
        do {
            return try await copy(first, iterator, names: names, into: stage)
        } catch let error as SchemaError {
            throw Self.namingColumns(error, names)
        }
    }

    /// The staging table's columns are c1, c2, ...: the error says the uploaded column's name,
    /// in its message ("column c2" → "column total") and as its column (PostgreSQL's own
    /// column field, or the one COPY's context names).
    static func namingColumns(_ error: SchemaError, _ names: [String]) -> SchemaError {
        var named = error
        var found: String? = nil
        for (i, name) in names.enumerated().reversed() {
            let staged = "c\(i + 1)"
            if named.message.contains("column \(staged)") {
                named.message = named.message.replacingOccurrences(of: "column \(staged)", with: "column \(name)")
                found = found ?? name
            }
            if named.column == staged { named.column = name }
        }
        if named.column == nil { named.column = found }
        return named
    }

    /// Streams the batches into a new staging table with COPY, in one transaction.
    private func copy(_ first: RecordBatch, _ iterator: RecordBatchStream.AsyncIterator, names: [String],
                      into stage: String) async throws -> [WriteResult<StagedTable>] {
        try await pool.withConnection("writing to \(table)") { connection in
            let logger = pool.logger
            try await PostgresSink.execute("BEGIN", connection)
            do {
                try await PostgresSink.execute(try await stagingDefinition(stage, first.schema, connection), connection)
                let encoder = PostgresCopyEncoder(columns: names)
                var rows: Int64 = 0, bytes: Int64 = 0
                var out: [UInt8] = []
                try await connection.copyFrom(table: stage, columns: names.indices.map { "c\($0 + 1)" }, logger: logger) { writer in
                    var batch: RecordBatch? = first
                    while let current = batch {
                        for field in current.schema where !names.contains(field.name) {
                            throw ConnectorError(connector: "postgres",
                                                 "column '\(field.name)' appears after the first batch of an upload (columns: \(names.joined(separator: ", ")))")
                        }
                        out.removeAll(keepingCapacity: true)
                        encoder.encode(current, into: &out)
                        try await writer.write(ByteBuffer(bytes: out))
                        rows += Int64(current.rowCount)
                        bytes += Int64(out.count)
                        batch = try await iterator.next()
                    }
                }
                try await PostgresSink.execute("COMMIT", connection)
                return [WriteResult(result: StagedTable(table: stage, columns: names), rowsWritten: rows, bytesWritten: bytes)]
            } catch {
                _ = try? await PostgresSink.execute("ROLLBACK", connection)
                throw error
            }
        }
    }

    /// `CREATE UNLOGGED TABLE stage (...)`: the target's column types when it exists (each
    /// uploaded column must be one of its columns), else the mapped types of `schema`.
    private func stagingDefinition(_ stage: String, _ schema: Schema, _ connection: PostgresConnection) async throws -> String {
        let quotedStage = SQLDialect.quote(stage)
        guard let target = try await targetColumns(connection) else {
            let columns = schema.enumerated().map { "c\($0.offset + 1) \(PostgresTypeMapping.columnType(for: $0.element.type))" }
            return "CREATE UNLOGGED TABLE \(quotedStage) (\(columns.joined(separator: ", ")))"
        }
        var columns: [String] = []
        for (i, field) in schema.enumerated() {
            guard let column = target.first(where: { $0.name == field.name }) else {
                throw SchemaError("the table \(table) has no column '\(field.name)' (columns: \(target.map(\.name).joined(separator: ", ")))",
                                  column: field.name)
            }
            columns.append("c\(i + 1) \(column.type)\(column.notNull ? " NOT NULL" : "")")
        }
        return "CREATE UNLOGGED TABLE \(quotedStage) (\(columns.joined(separator: ", ")))"
    }

    /// The target's columns (name, SQL type, NOT NULL), or nil when it does not exist.
    private func targetColumns(_ connection: PostgresConnection) async throws -> [(name: String, type: String, notNull: Bool)]? {
        let query = PostgresQuery(
            sql: "SELECT attname::text, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute "
                + "WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            parameters: [.string(SQLDialect.quoteQualified(table))])
        var columns: [(name: String, type: String, notNull: Bool)] = []
        for try await (name, type, notNull) in try await connection.query(query, logger: pool.logger).decode((String, String, Bool).self) {
            columns.append((name, type, notNull))
        }
        return columns.isEmpty ? nil : columns
    }

    public func finalize(_ results: [WriteResult<StagedTable>]) async throws -> RecordBatch {
        let target = SQLDialect.quoteQualified(table)
        let rows: Int64 = try await pool.withConnection("committing to \(table)") { connection in
            // Concurrent CREATE TABLE IF NOT EXISTS can collide: an advisory lock makes them take turns.
            try await PostgresSink.execute("BEGIN", connection)
            do {
                try await PostgresSink.execute("SELECT pg_advisory_xact_lock(hashtext('sluice:\(Self.finalizedTable)'))", connection)
                try await PostgresSink.execute("CREATE TABLE IF NOT EXISTS \(Self.finalizedTable) (session text PRIMARY KEY, "
                                               + "target text NOT NULL, rows_written bigint NOT NULL, finalized_at timestamptz NOT NULL)",
                                               connection)
                try await PostgresSink.execute("COMMIT", connection)
            } catch {
                _ = try? await PostgresSink.execute("ROLLBACK", connection)
                throw error
            }
            try await PostgresSink.execute("BEGIN", connection)
            do {
                // Serialises finalizes of this session; a committed one has left its record.
                try await PostgresSink.execute("SELECT pg_advisory_xact_lock(hashtext('sluice:finalize:\(session)'))", connection)
                let done = try await connection.query(PostgresQuery(
                    sql: "SELECT rows_written FROM \(Self.finalizedTable) WHERE session = $1", parameters: [.string(session)]),
                    logger: pool.logger).decode(Int64.self)
                var finalizedBefore: Int64?
                for try await written in done { finalizedBefore = written }
                if let finalizedBefore {
                    try await PostgresSink.execute("COMMIT", connection)
                    return finalizedBefore
                }
                for result in results {
                    let stage = SQLDialect.quote(try stagingName(result))
                    let names = result.result.columns
                    if try await targetColumns(connection) == nil {
                        // Two sessions' first finalizes into a new table: CREATE TABLE IF NOT EXISTS
                        // is not safe when both run at once, so they take turns on the table's name.
                        _ = try await connection.query(PostgresQuery(sql: "SELECT pg_advisory_xact_lock(hashtext($1))",
                                                                     parameters: [.string("sluice:table:" + target)]), logger: pool.logger)
                        if try await targetColumns(connection) == nil { try await createTarget(like: stage, names: names, connection) }
                    }
                    let list = names.map(SQLDialect.quote).joined(separator: ", ")
                    let staged = names.indices.map { "c\($0 + 1)" }.joined(separator: ", ")
                    try await PostgresSink.execute("INSERT INTO \(target) (\(list)) SELECT \(staged) FROM \(stage)"
                                                   + mode.conflictClause(columns: names), connection)
                    try await PostgresSink.execute("DROP TABLE \(stage)", connection)
                }
                let total = results.reduce(0) { $0 + $1.rowsWritten }
                _ = try await connection.query(PostgresQuery(
                    sql: "INSERT INTO \(Self.finalizedTable) VALUES ($1, $2, $3, now())",
                    parameters: [.string(session), .string(table), .int(total)]), logger: pool.logger)
                for leftover in try await stagingTables(connection) where leftover.hasPrefix(stagePrefix) {
                    try await PostgresSink.execute("DROP TABLE IF EXISTS \(SQLDialect.quote(leftover))", connection)
                }
                try await PostgresSink.execute("COMMIT", connection)
                return total
            } catch {
                _ = try? await PostgresSink.execute("ROLLBACK", connection)
                throw error
            }
        }
        return try RecordBatch(schema: schema, rows: [[.int(rows), .string(table)]])
    }

    private func createTarget(like stage: String, names: [String], _ connection: PostgresConnection) async throws {
        let query = PostgresQuery(sql: "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = $1::text::regclass "
                                  + "AND attnum > 0 AND NOT attisdropped ORDER BY attnum", parameters: [.string(stage)])
        var types: [String] = []
        for try await (type) in try await connection.query(query, logger: pool.logger).decode(String.self) { types.append(type) }
        var definitions = zip(names, types).map { "\(SQLDialect.quote($0)) \($1)" }
        if !mode.key.isEmpty {
            for key in mode.key where !names.contains(key) {
                throw ConnectorError(connector: "postgres", "the upsert key column '\(key)' is not in the uploaded rows")
            }
            definitions.append("PRIMARY KEY (\(mode.key.map(SQLDialect.quote).joined(separator: ", ")))")
        }
        try await PostgresSink.execute("CREATE TABLE IF NOT EXISTS \(SQLDialect.quoteQualified(table)) (\(definitions.joined(separator: ", ")))",
                                       connection)
    }

    public func abort(_ results: [WriteResult<StagedTable>]) async throws {
        let prefix = stagePrefix
        try await dropStaging { $0.hasPrefix(prefix) }
    }

    public func resume(_ results: [WriteResult<StagedTable>]) async throws {
        let prefix = stagePrefix, kept = Set(results.map(\.result.table))
        try await dropStaging { $0.hasPrefix(prefix) && !kept.contains($0) }
    }

    public func removeStaging(keeping sessions: Set<String>) async throws {
        let kept = Set(sessions.map(WriteSessionID.compact))
        try await dropStaging { name in
            !kept.contains(String(name.dropFirst(Self.stagingPrefix.count).prefix { $0 != "_" }))
        }
    }

    /// Drops the staging tables (of any session) that `condition` picks.
    private func dropStaging(where condition: @escaping @Sendable (String) -> Bool) async throws {
        try await pool.withConnection("removing staged rows") { connection in
            for name in try await stagingTables(connection) where condition(name) {
                try await PostgresSink.execute("DROP TABLE IF EXISTS \(SQLDialect.quote(name))", connection)
            }
        }
    }

    /// Every staging table visible on the connection's search path.
    private func stagingTables(_ connection: PostgresConnection) async throws -> [String] {
        let query = PostgresQuery(sql: "SELECT c.relname::text FROM pg_class c WHERE c.relkind = 'r' AND pg_table_is_visible(c.oid) "
                                  + "AND starts_with(c.relname, $1)", parameters: [.string(Self.stagingPrefix)])
        var names: [String] = []
        for try await name in try await connection.query(query, logger: pool.logger).decode(String.self) { names.append(name) }
        return names
    }

    /// The staging table of a result, refusing any name this session would not have made.
    private func stagingName(_ result: WriteResult<StagedTable>) throws -> String {
        let name = result.result.table
        guard name.hasPrefix(stagePrefix), !name.contains("\"") else {
            throw ConnectorError(connector: "postgres", "a write result names '\(name)', not a staging table of this session")
        }
        return name
    }

    private static func execute(_ sql: String, _ connection: PostgresConnection) async throws {
        _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: connection.logger)
    }
}

import Foundation
import SluiceCore

/// Writes rows into a SQLite table, all or nothing per session, exactly once.
///
/// Each `write` call fills a table in a private temporary database that its connection
/// attaches (`ATTACH ''`: no lock on the target's file while the upload streams in), then
/// copies it in one short transaction into a staging table of the target's file,
/// `_sluice_stage_<session>_<random>`. So a write that fails (a bad row, a type that does not
/// fit) leaves nothing, and concurrent uploads, to one session or to many, only queue for
/// that copy. Staging tables take the target's column definitions when the target exists
/// (its NOT NULL constraints apply at write time), else the first batch's types
/// (`SQLiteTypeMapping`); a later batch's new column is added.
///
/// `finalize` moves every staged row into the target in one transaction (creating the target
/// from the staged columns when missing, with the key as PRIMARY KEY for upserts; `upsert`
/// updates rows whose key exists), drops the staging tables and records the session in
/// `_sluice_finalized` in the same transaction: a finalize run again after a crash finds
/// that record and writes nothing twice. `abort` drops every staging table of the session,
/// `resume` those its results do not name, so an aborted or killed upload leaves the target
/// untouched.
///
/// Summary: one row `rows_written Int64, table String`.
public final class SQLiteSink: DataSink {
    /// The staging table one write filled.
    public struct StagedTable: Codable, Sendable, Hashable {
        public var table: String
    }

    public static let summarySchema = Schema([Field("rows_written", .int64), Field("table", .string)])
    static let stagingPrefix = "_sluice_stage_"
    /// Sessions already finalized into this file: `session TEXT PRIMARY KEY, target, rows_written, finalized_at`.
    static let finalizedTable = "_sluice_finalized"

    public let path: String
    public let table: String
    let mode: TableWriteMode
    /// The write session this instance serves.
    let session: String
    /// Names this session's staging tables.
    private var stagePrefix: String { Self.stagingPrefix + WriteSessionID.compact(session) + "_" }

    public var name: String { "SQLite table \(table) in \(path)" }
    public var schema: Schema { Self.summarySchema }

    init(path: String, table: String, mode: TableWriteMode, session: String = WriteSessionID.random()) {
        precondition(WriteSessionID.isValid(session), "not a session id: \(session)")
        self.path = path
        self.table = SQLiteDatabase.unquoted(table)
        self.mode = mode
        self.session = session
    }

    /// The target table's columns as Sluice types (`SQLiteTypeMapping`), so that uploads are
    /// checked and coerced line by line while they are decoded. Nil, so that types are
    /// inferred per batch and checked at write time, when the table does not exist yet or
    /// has a column that takes any value (declared `JSON`, or with no type).
    public func uploadSchema() async throws -> Schema? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let database = try SQLiteDatabase(path: path, readOnly: true)
        guard let columns = try database.columns(of: table, schema: "main") else { return nil }
        var fields: [Field] = []
        for column in columns {
            guard !column.declaredType.uppercased().hasPrefix("JSON"),
                  let type = SQLiteTypeMapping.sluiceType(declared: column.declaredType) else { return nil }
            fields.append(Field(column.name, type, nullable: !column.notNull))
        }
        return Schema(fields)
    }

    // Every SQLite call runs on `BlockingWork`'s queue.

    public func write(_ batches: RecordBatchStream) async throws -> [WriteResult<StagedTable>] {
        let stage = stagePrefix + WriteSessionID.compact(WriteSessionID.random()).prefix(16)
        let upload = try await BlockingConfined.make { [path, table] in try SQLiteUpload(path: path, table: table) }
        do {
            for try await batch in batches { try await upload.run { try $0.insert(batch) } }
            return try await upload.run { try $0.finish(into: stage) }
        } catch {
            _ = try? await upload.run { $0.rollback() }
            throw error
        }
    }

    public func finalize(_ results: [WriteResult<StagedTable>]) async throws -> RecordBatch {
        try await BlockingWork.run { try self.finalizeNow(results) }
    }

    private func finalizeNow(_ results: [WriteResult<StagedTable>]) throws -> RecordBatch {
        let database = try SQLiteDatabase(path: path, readOnly: false)
        let written: Int64 = try database.transaction {
            try database.execute("CREATE TABLE IF NOT EXISTS main.\(Self.finalizedTable) (session TEXT PRIMARY KEY, target TEXT NOT NULL, "
                                 + "rows_written INTEGER NOT NULL, finalized_at TEXT NOT NULL)")
            let done = try database.prepare("SELECT rows_written FROM main.\(Self.finalizedTable) WHERE session = ?")
            try done.bind(.string(session), at: 1)
            if try done.step() { return done.int(0) }
            var total: Int64 = 0
            for result in results {
                let stage = try stagingName(result)
                guard let staged = try database.columns(of: stage) else {
                    throw database.failure("the staged rows of a write are gone (\(stage))")
                }
                if try database.columns(of: table) == nil { try createTarget(like: staged, in: database) }
                let list = staged.map { SQLDialect.quote($0.name) }.joined(separator: ", ")
                do {
                    try database.execute("INSERT INTO \(SQLDialect.quote(table)) (\(list)) SELECT \(list) FROM \(SQLDialect.quote(stage)) "
                                         + "WHERE true" + mode.conflictClause(columns: staged.map(\.name)))
                } catch let error as ConnectorError where database.lastErrorIsConstraint {
                    throw database.rejection("the session's rows do not fit the table \(table)", constraint: error.message)
                }
                total += result.rowsWritten
                try database.execute("DROP TABLE \(SQLDialect.quote(stage))")
            }
            let marker = try database.prepare("INSERT INTO main.\(Self.finalizedTable) VALUES (?, ?, ?, datetime('now'))")
            try marker.bind(.string(session), at: 1)
            try marker.bind(.string(table), at: 2)
            try marker.bind(.int(total), at: 3)
            _ = try marker.step()
            for leftover in try database.tables(prefixed: stagePrefix) {
                try database.execute("DROP TABLE main.\(SQLDialect.quote(leftover))")
            }
            return total
        }
        return try RecordBatch(schema: schema, rows: [[.int(written), .string(table)]])
    }

    public func abort(_ results: [WriteResult<StagedTable>]) async throws {
        try await BlockingWork.run { [stagePrefix] in try self.dropStaging { $0.hasPrefix(stagePrefix) } }
    }

    public func resume(_ results: [WriteResult<StagedTable>]) async throws {
        let kept = Set(results.map(\.result.table))
        try await BlockingWork.run { [stagePrefix] in try self.dropStaging { $0.hasPrefix(stagePrefix) && !kept.contains($0) } }
    }

    public func removeStaging(keeping sessions: Set<String>) async throws {
        let kept = Set(sessions.map(WriteSessionID.compact))
        try await BlockingWork.run { try self.dropStaging { name in
            let session = name.dropFirst(Self.stagingPrefix.count).prefix { $0 != "_" }
            return !kept.contains(String(session))
        } }
    }

    /// Drops the staging tables (of any session) that `condition` picks, in one transaction.
    /// Does nothing when the database file does not exist yet.
    private func dropStaging(where condition: (String) -> Bool) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        let database = try SQLiteDatabase(path: path, readOnly: false)
        let doomed = try database.tables(prefixed: Self.stagingPrefix).filter(condition)
        guard !doomed.isEmpty else { return }
        try database.transaction {
            for name in doomed { try database.execute("DROP TABLE IF EXISTS main.\(SQLDialect.quote(name))") }
        }
    }

    /// The staging table of a result, refusing any name this sink would not have made.
    private func stagingName(_ result: WriteResult<StagedTable>) throws -> String {
        let name = result.result.table
        guard name.hasPrefix(stagePrefix) else {
            throw ConnectorError(connector: "sqlite", "a write result names '\(name)', not a staging table of this session", path: path)
        }
        return name
    }

    private func createTarget(like staged: [SQLiteColumn], in database: SQLiteDatabase) throws {
        var definitions = staged.map { "\(SQLDialect.quote($0.name)) \($0.declaredType)\($0.notNull ? " NOT NULL" : "")" }
        if !mode.key.isEmpty {
            for key in mode.key where !staged.contains(where: { $0.name == key }) {
                throw database.failure("the upsert key column '\(key)' is not in the uploaded rows")
            }
            definitions.append("PRIMARY KEY (\(mode.key.map(SQLDialect.quote).joined(separator: ", ")))")
        }
        try database.execute("CREATE TABLE \(SQLDialect.quote(table)) (\(definitions.joined(separator: ", ")))")
    }
}

import Foundation
import SluiceCore

/// Writes rows into a SQLite table, all or nothing per session.
///
/// Each `write` call stages its rows in a table of its own (`_sluice_stage_<session>_<n>`,
/// same file) inside one transaction, so a write that fails (a bad row, a type that does
/// not fit) leaves nothing. Staging tables take the target's column definitions when the
/// target exists (its NOT NULL constraints apply at write time), else the first batch's
/// types (`SQLiteTypeMapping`); a later batch's new column is added. `finalize` moves every
/// staged row into the target in one transaction (creating the target from the staged
/// columns when missing, with the key as PRIMARY KEY for upserts; `upsert` updates rows whose
/// key exists) and drops the staging tables. `abort` drops the staging tables its results
/// name, so an aborted or killed upload leaves the target untouched.
///
/// Summary: one row `rows_written Int64, table String`.
public final class SQLiteSink: DataSink {
    /// The staging table one write filled.
    public struct StagedTable: Codable, Sendable, Hashable {
        public var table: String
    }

    public static let summarySchema = Schema([Field("rows_written", .int64), Field("table", .string)])
    static let stagingPrefix = "_sluice_stage_"

    public let path: String
    public let table: String
    let mode: TableWriteMode
    /// Names this session's staging tables.
    let session = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    private let counter = WriteCounter()

    public var name: String { "SQLite table \(table) in \(path)" }
    public var schema: Schema { Self.summarySchema }

    init(path: String, table: String, mode: TableWriteMode) {
        self.path = path
        self.table = SQLiteDatabase.unquoted(table)
        self.mode = mode
    }

    public func write(_ batches: RecordBatchStream) async throws -> [WriteResult<StagedTable>] {
        let stage = Self.stagingPrefix + session + "_\(counter.next())"
        let database = try SQLiteDatabase(path: path, readOnly: false)
        try database.execute("BEGIN IMMEDIATE")
        do {
            let target = try database.columns(of: table)
            var staging: SQLiteStagingTable?
            var rows: Int64 = 0, bytes: Int64 = 0
            for try await batch in batches {
                if staging == nil {
                    staging = try SQLiteStagingTable(database: database, name: stage, first: batch.schema, target: target, targetName: table)
                }
                try staging!.insert(batch)
                rows += Int64(batch.rowCount)
                bytes += Int64(batch.byteSize)
            }
            try database.execute("COMMIT")
            return staging == nil ? [] : [WriteResult(result: StagedTable(table: stage), rowsWritten: rows, bytesWritten: bytes)]
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
    }

    public func finalize(_ results: [WriteResult<StagedTable>]) async throws -> RecordBatch {
        let database = try SQLiteDatabase(path: path, readOnly: false)
        let written: Int64 = try database.transaction {
            var total: Int64 = 0
            for result in results {
                let stage = try stagingName(result)
                guard let staged = try database.columns(of: stage) else {
                    throw database.failure("the staged rows of a write are gone (\(stage))")
                }
                if try database.columns(of: table) == nil { try createTarget(like: staged, in: database) }
                let list = staged.map { SQLDialect.quote($0.name) }.joined(separator: ", ")
                try database.execute("INSERT INTO \(SQLDialect.quote(table)) (\(list)) SELECT \(list) FROM \(SQLDialect.quote(stage)) WHERE true"
                                     + mode.conflictClause(columns: staged.map(\.name)))
                total += result.rowsWritten
                try database.execute("DROP TABLE \(SQLDialect.quote(stage))")
            }
            return total
        }
        return try RecordBatch(schema: schema, rows: [[.int(written), .string(table)]])
    }

    public func abort(_ results: [WriteResult<StagedTable>]) async throws {
        guard !results.isEmpty else { return }
        let database = try SQLiteDatabase(path: path, readOnly: false)
        try database.transaction {
            for result in results { try database.execute("DROP TABLE IF EXISTS \(SQLDialect.quote(try stagingName(result)))") }
        }
    }

    /// The staging table of a result, refusing any name this sink would not have made.
    private func stagingName(_ result: WriteResult<StagedTable>) throws -> String {
        let name = result.result.table
        guard name.hasPrefix(Self.stagingPrefix + session + "_") else {
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

/// Numbers the writes of one session (they may run concurrently).
final class WriteCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
    }
}

import SluiceCore

/// One upload into a `sqlite` sink, on a connection of its own: the rows fill a private
/// database (`ATTACH ''`) while the body streams in, so the target's file is not touched, then
/// `finish` copies them into a staging table of the target's file in one short transaction.
/// Its calls block: the sink drives it through `BlockingConfined`.
final class SQLiteUpload {
    private let database: SQLiteDatabase
    private let table: String
    private let target: [SQLiteColumn]?
    private var staging: SQLiteStagingTable?
    private var rows: Int64 = 0
    private var bytes: Int64 = 0

    init(path: String, table: String) throws {
        database = try SQLiteDatabase(path: path, readOnly: false)
        self.table = table
        target = try database.columns(of: table, schema: "main")
        try database.execute("ATTACH DATABASE '' AS upload")
        try database.execute("BEGIN")
    }

    func insert(_ batch: RecordBatch) throws {
        if staging == nil {
            staging = try SQLiteStagingTable(database: database, schema: "upload", name: "rows", first: batch.schema,
                                             target: target, targetName: table)
        }
        try staging!.insert(batch)
        rows += Int64(batch.rowCount)
        bytes += Int64(batch.byteSize)
    }

    /// Ends the upload: the rows go into the new table `stage` of the target's file.
    func finish(into stage: String) throws -> [WriteResult<SQLiteSink.StagedTable>] {
        try database.execute("COMMIT")
        guard let staging else { return [] }
        let columns = try database.columns(of: staging.name, schema: "upload") ?? []
        let definitions = columns.map { "\(SQLDialect.quote($0.name)) \($0.declaredType)\($0.notNull ? " NOT NULL" : "")" }
        try database.transaction {
            try database.execute("CREATE TABLE main.\(SQLDialect.quote(stage)) (\(definitions.joined(separator: ", ")))")
            try database.execute("INSERT INTO main.\(SQLDialect.quote(stage)) SELECT * FROM \(staging.relation)")
        }
        return [WriteResult(result: SQLiteSink.StagedTable(table: stage), rowsWritten: rows, bytesWritten: bytes)]
    }

    func rollback() {
        try? database.execute("ROLLBACK")
    }
}

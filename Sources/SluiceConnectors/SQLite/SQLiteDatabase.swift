import CSQLite
import SluiceCore
import Foundation

/// One open SQLite connection (`sqlite3*`), used by one task or one write at a time. Errors
/// are `ConnectorError`s naming the database file and SQLite's message. Public for the
/// server's embedded session store: one SQLite layer for the project.
public final class SQLiteDatabase {
    public let path: String
    private(set) var handle: OpaquePointer?
    /// Statements kept prepared by `cachedStatement`, by SQL text.
    private var statements: [String: SQLiteStatement] = [:]

    /// Opens `path`, read-only for sources; a sink's connection creates the file if needed.
    /// Waits up to 10 s for a lock another writer holds.
    public init(path: String, readOnly: Bool) throws {
        self.path = path
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let code = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(handle)
            handle = nil
            throw ConnectorError(connector: "sqlite", "cannot open the database: \(message)", path: path)
        }
        sqlite3_busy_timeout(handle, 10_000)
        sqlite3_extended_result_codes(handle, 1)
    }

    deinit {
        statements = [:]
        sqlite3_close_v2(handle)
    }

    /// Runs statements that return no rows (DDL, BEGIN, COMMIT).
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        guard sqlite3_exec(handle, sql, nil, nil, &message) == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? lastError
            sqlite3_free(message)
            throw failure(text)
        }
    }

    public func prepare(_ sql: String) throws -> SQLiteStatement { try SQLiteStatement(database: self, sql: sql) }

    /// A statement prepared once and reused (reset, bindings cleared) for statements run
    /// often. Call `resetCachedStatements()` before ending a transaction, so that no reused
    /// statement keeps it open.
    public func cachedStatement(_ sql: String) throws -> SQLiteStatement {
        if let statement = statements[sql] {
            statement.reset()
            return statement
        }
        let statement = try prepare(sql)
        statements[sql] = statement
        return statement
    }

    public func resetCachedStatements() {
        for statement in statements.values { statement.reset() }
    }

    /// Runs `body` inside `BEGIN IMMEDIATE ... COMMIT`, rolling back when it throws.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The names of the tables in `main` that start with `prefix` (taken literally).
    func tables(prefixed prefix: String) throws -> [String] {
        let statement = try prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND substr(name, 1, length(?1)) = ?1")
        try statement.bind(.string(prefix), at: 1)
        var names: [String] = []
        while try statement.step() { names.append(statement.text(0)) }
        return names
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int64 { Int64(sqlite3_changes64(handle)) }

    public var lastError: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "no connection" }

    /// Whether the last failure was a constraint the data broke (NOT NULL, UNIQUE, CHECK,
    /// a primary key): the client's mistake, not the server's.
    public var lastErrorIsConstraint: Bool { handle.map { sqlite3_errcode($0) & 0xFF == SQLITE_CONSTRAINT } ?? false }

    /// A rejection of the uploaded data (a 4xx): `constraint` is SQLite's message
    /// ("NOT NULL constraint failed: t.total"), whose last `table.column` names the column.
    func rejection(_ context: String, constraint: String) -> SchemaError {
        let column = constraint.split(separator: ":").last?.split(separator: ",").first?
            .split(separator: ".").last.map { $0.trimmingCharacters(in: .whitespaces) }
        return SchemaError("\(context): \(constraint)", column: column)
    }

    public func failure(_ message: String) -> ConnectorError {
        ConnectorError(connector: "sqlite", message, path: path)
    }

    /// The columns of `table` (`PRAGMA table_info`), or nil when there is no such table;
    /// `schema` names the attached database to look in (every one, in SQLite's order, by default).
    func columns(of table: String, schema: String? = nil) throws -> [SQLiteColumn]? {
        let statement = try prepare("SELECT name, type, \"notnull\", pk FROM pragma_table_info(?\(schema == nil ? "" : ", ?"))")
        try statement.bind(.string(SQLiteDatabase.unquoted(table)), at: 1)
        if let schema { try statement.bind(.string(schema), at: 2) }
        var columns: [SQLiteColumn] = []
        while try statement.step() {
            columns.append(SQLiteColumn(name: statement.text(0), declaredType: statement.text(1),
                                        notNull: statement.int(2) != 0, primaryKey: statement.int(3) != 0))
        }
        return columns.isEmpty ? nil : columns
    }

    /// A table option's name as SQLite's catalog spells it (config quotes removed).
    static func unquoted(_ name: String) -> String {
        if name.hasPrefix("\""), name.hasSuffix("\""), name.count >= 2 {
            return String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
        }
        return name
    }
}

/// One column of a table as SQLite declares it.
struct SQLiteColumn: Sendable, Hashable {
    var name: String
    var declaredType: String
    var notNull: Bool
    var primaryKey: Bool
}

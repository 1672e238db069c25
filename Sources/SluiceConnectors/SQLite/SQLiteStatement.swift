import CSQLite
import SluiceCore

/// A prepared statement of a `SQLiteDatabase`: bind, step, read the current row with the
/// typed `sqlite3_column_*` calls. Finalized on release. Public for the server's embedded
/// session store: one SQLite layer for the project.
public final class SQLiteStatement {
    let database: SQLiteDatabase
    let handle: OpaquePointer

    init(database: SQLiteDatabase, sql: String) throws {
        self.database = database
        var statement: OpaquePointer?
        guard sqlite3_prepare_v3(database.handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
              let statement
        else { throw database.failure("cannot prepare a statement: \(database.lastError)") }
        handle = statement
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds a boxed value (query parameters, not row paths). Dates and timestamps bind as
    /// ISO text, Bool as 0/1.
    public func bind(_ value: Value, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case let .bool(b): code = sqlite3_bind_int64(handle, index, b ? 1 : 0)
        case let .int(i): code = sqlite3_bind_int64(handle, index, i)
        case let .uint(u): code = sqlite3_bind_int64(handle, index, Int64(bitPattern: u))
        case let .float(f): code = sqlite3_bind_double(handle, index, f)
        case let .string(s): code = sqlite3_bind_text(handle, index, s, -1, csqlite_transient())
        case let .binary(b): code = b.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), csqlite_transient()) }
        case let .date(days):
            var text: [UInt8] = []
            CellText.appendDate(days, to: &text)
            code = bindText(text, at: index)
        case let .timestamp(micros):
            var text: [UInt8] = []
            CellText.appendTimestamp(micros, unit: .microseconds, utc: false, to: &text)
            code = bindText(text, at: index)
        case .list, .structure: throw database.failure("a list or struct cannot be a query parameter")
        }
        guard code == SQLITE_OK else { throw database.failure("cannot bind parameter \(index): \(database.lastError)") }
    }

    @discardableResult
    func bindText(_ bytes: [UInt8], at index: Int32) -> Int32 {
        guard !bytes.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, nil) }
        return bytes.withUnsafeBytes {
            sqlite3_bind_text(handle, index, $0.baseAddress!.assumingMemoryBound(to: CChar.self), Int32($0.count), csqlite_transient())
        }
    }

    /// Advances to the next row; false when done.
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.failure(database.lastError)
        }
    }

    /// Makes the statement ready to run again with new bindings.
    public func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    var columnCount: Int32 { sqlite3_column_count(handle) }
    var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    func columnName(_ i: Int32) -> String { String(cString: sqlite3_column_name(handle, i)) }
    func declaredType(_ i: Int32) -> String? { sqlite3_column_decltype(handle, i).map { String(cString: $0) } }
    public func isNull(_ i: Int32) -> Bool { sqlite3_column_type(handle, i) == SQLITE_NULL }
    func storageClass(_ i: Int32) -> Int32 { sqlite3_column_type(handle, i) }
    public func int(_ i: Int32) -> Int64 { sqlite3_column_int64(handle, i) }
    public func double(_ i: Int32) -> Double { sqlite3_column_double(handle, i) }

    /// The cell's bytes (text or blob), valid until the next step.
    public func bytes(_ i: Int32) -> UnsafeRawBufferPointer {
        let pointer = sqlite3_column_blob(handle, i)
        let count = Int(sqlite3_column_bytes(handle, i))
        return UnsafeRawBufferPointer(start: pointer, count: count)
    }

    public func text(_ i: Int32) -> String {
        guard let p = sqlite3_column_text(handle, i) else { return "" }
        return String(cString: p)
    }
}

import CSQLite
import SluiceCore

/// Inserts the rows of batches into one table through a prepared
/// `INSERT INTO t (columns) VALUES (?, ...)`: per row, each column's cell is bound with a
/// typed `sqlite3_bind_*` call read straight from the column's storage (`CellBinder` picks
/// the call once per batch and column), then the statement is stepped and reset.
final class SQLiteRowInserter {
    private let statement: SQLiteStatement
    let columns: [String]
    private var scratch: [UInt8] = []
    /// Rows inserted by earlier calls: the row a rejection names counts from the upload's start.
    let rowsBefore: Int

    /// `relation` is the table as SQL names it, already quoted (`"upload"."rows"`).
    init(database: SQLiteDatabase, relation: String, columns: [String], rowsBefore: Int = 0) throws {
        self.columns = columns
        self.rowsBefore = rowsBefore
        let list = columns.map(SQLDialect.quote).joined(separator: ", ")
        let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        statement = try database.prepare("INSERT INTO \(relation) (\(list)) VALUES (\(marks))")
    }

    /// Rows this inserter has inserted.
    private(set) var rowsInserted = 0

    /// Inserts every row of `batch`, whose columns are found by name (columns it lacks are
    /// NULL). Throws at the first row SQLite refuses, naming it (counted from the upload's
    /// first row): a `SchemaError` when the row breaks a constraint, a `ConnectorError` otherwise.
    func insert(_ batch: RecordBatch) throws {
        let binders = columns.map { name in batch.column(named: name).map(CellBinder.init) }
        for row in 0..<batch.rowCount {
            for (i, binder) in binders.enumerated() {
                let index = Int32(i + 1)
                guard let binder else { sqlite3_bind_null(statement.handle, index); continue }
                try binder.bind(row, to: statement, at: index, scratch: &scratch)
            }
            do { _ = try statement.step() } catch let error as ConnectorError {
                let constraint = statement.database.lastErrorIsConstraint
                statement.reset()
                let position = "row \(rowsBefore + rowsInserted + row + 1) of the upload"
                if constraint { throw statement.database.rejection(position, constraint: error.message) }
                throw ConnectorError(connector: "sqlite", "\(position): \(error.message)", path: error.path)
            }
            sqlite3_reset(statement.handle)
        }
        rowsInserted += batch.rowCount
    }
}

/// Binds one column's cells. Strings and blobs bind without copying (SQLITE_STATIC: the
/// bytes outlive the step); dates, timestamps and JSON go through a reused text buffer.
struct CellBinder {
    let column: Column
    private let json: JSONCellWriter?

    init(_ column: Column) {
        self.column = column
        switch column.type {
        case .list, .structure: json = JSONCellWriter(column)
        default: json = nil
        }
    }

    func bind(_ row: Int, to s: SQLiteStatement, at index: Int32, scratch: inout [UInt8]) throws {
        let h = s.handle
        if column.isNull(row) { sqlite3_bind_null(h, index); return }
        let code: Int32
        switch column.storage {
        case .null: code = sqlite3_bind_null(h, index)
        case let .bool(v): code = sqlite3_bind_int64(h, index, v[row] ? 1 : 0)
        case let .int(v):
            switch column.type {
            case .date:
                scratch.removeAll(keepingCapacity: true)
                CellText.appendDate(v[row], to: &scratch)
                code = s.bindText(scratch, at: index)
            case let .timestamp(unit, zone):
                scratch.removeAll(keepingCapacity: true)
                CellText.appendTimestamp(v[row], unit: unit, utc: zone != nil, to: &scratch)
                code = s.bindText(scratch, at: index)
            default: code = sqlite3_bind_int64(h, index, v[row])
            }
        case let .uint(v):
            guard v[row] <= UInt64(Int64.max) else {
                throw s.database.failure("row \(row + 1) of a batch: \(v[row]) does not fit SQLite's 64-bit INTEGER")
            }
            code = sqlite3_bind_int64(h, index, Int64(v[row]))
        case let .float(v): code = sqlite3_bind_double(h, index, v[row])
        case let .bytes(b):
            let range = b.range(at: row)
            code = b.bytes.withUnsafeBytes { all in
                let p = all.baseAddress.map { $0 + range.lowerBound } ?? UnsafeRawPointer(bitPattern: 1)!
                return column.type == .binary
                    ? sqlite3_bind_blob(h, index, p, Int32(range.count), nil)
                    : sqlite3_bind_text(h, index, p.assumingMemoryBound(to: CChar.self), Int32(range.count), nil)
            }
        case .list, .structure:
            scratch.removeAll(keepingCapacity: true)
            json!.append(row: row, to: &scratch)
            code = s.bindText(scratch, at: index)
        }
        guard code == SQLITE_OK else { throw s.database.failure("cannot bind a value: \(s.database.lastError)") }
    }
}

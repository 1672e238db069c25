import CSQLite
import SluiceCore

/// Steps through one task's `SELECT` and fills a batch of at most `batchRows` rows per pull:
/// each cell goes from a typed `sqlite3_column_*` call straight into its column's builder
/// (the per-column switch on the type happens once, in `CellReader`). Memory stays constant
/// whatever the table size: only the current batch is held.
final class SQLiteBatchReader: RecordBatchProducer {
    private let database: SQLiteDatabase
    private let statement: SQLiteStatement
    private let schema: Schema
    private let batchRows: Int
    private let readers: [CellReader]
    private var done = false
    private var rowsRead = 0

    init(path: String, select: SQLSelect, schema: Schema, batchRows: Int) throws {
        database = try SQLiteDatabase(path: path, readOnly: true)
        statement = try database.prepare(select.sql)
        for (i, value) in select.parameters.enumerated() { try statement.bind(value, at: Int32(i + 1)) }
        self.schema = schema
        self.batchRows = batchRows
        readers = schema.enumerated().map { CellReader(type: $0.element.type, column: Int32($0.offset)) }
    }

    func nextBatch() throws -> RecordBatch? {
        guard !done else { return nil }
        let builders = schema.map { ColumnBuilder($0.type, capacity: batchRows) }
        var rows = 0
        while rows < batchRows {
            guard try statement.step() else { done = true; break }
            for (reader, builder) in zip(readers, builders) {
                try reader.read(statement, into: builder, row: rowsRead + rows)
            }
            rows += 1
        }
        rowsRead += rows
        if rows == 0 { return nil }
        return try RecordBatch(schema: schema, columns: builders.map { $0.build() })
    }
}

/// Reads one result column's cells into a builder of its Sluice type.
struct CellReader {
    let type: DataType
    let column: Int32

    func read(_ s: SQLiteStatement, into builder: ColumnBuilder, row: Int) throws {
        if s.isNull(column) { builder.appendNull(); return }
        switch type {
        case .bool: builder.append(bool: s.int(column) != 0)
        case .int8, .int16, .int32, .int64:
            let value = s.int(column)
            guard type.signedRange!.contains(value) else { throw invalid(s, row, "\(value) is out of range for \(type)") }
            builder.append(int: value)
        case .float32, .float64: builder.append(float: s.double(column))
        case .string, .binary:
            if type == .string { _ = sqlite3_column_text(s.handle, column) } // text form of numbers
            builder.append(utf8: s.bytes(column))
        case .date:
            guard let days = CellText.parseDate(s.bytes(column)) else { throw invalid(s, row, "not a date (YYYY-MM-DD)") }
            builder.append(int: days)
        case let .timestamp(unit, _):
            guard let ticks = CellText.parseTimestamp(s.bytes(column), unit: unit) else {
                throw invalid(s, row, "not an ISO 8601 timestamp")
            }
            builder.append(int: ticks)
        default:
            throw invalid(s, row, "\(type) is not read from SQLite")
        }
    }

    private func invalid(_ s: SQLiteStatement, _ row: Int, _ message: String) -> ConnectorError {
        s.database.failure("row \(row + 1) of the task, column '\(s.columnName(column))': \(message)")
    }
}

/// A columnar table slice: a schema and one typed `Column` per field, all of `rowCount` rows.
///
/// This is what sources yield, sinks receive and codecs read and write (Daft's
/// MicroPartition). Values are stored unboxed; `value(row:column:)` and `rows` box cells and
/// are for tests and small summaries only.
public struct RecordBatch: Hashable, Sendable {
    public let schema: Schema
    public let columns: [Column]
    public let rowCount: Int

    /// A batch from columns that match `schema` in count, type and length.
    public init(schema: Schema, columns: [Column]) throws {
        guard columns.count == schema.count else {
            throw SchemaError("\(columns.count) columns for a schema of \(schema.count) fields")
        }
        let rows = columns.first?.count ?? 0
        for (field, column) in zip(schema, columns) {
            guard column.type == field.type else {
                throw SchemaError("column '\(field.name)' is \(column.type), the schema says \(field.type)", column: field.name)
            }
            guard column.count == rows else {
                throw SchemaError("column '\(field.name)' has \(column.count) rows, expected \(rows)", column: field.name)
            }
            if !field.nullable, column.validity != nil {
                throw SchemaError("column '\(field.name)' is not nullable but holds nulls", column: field.name)
            }
        }
        self.init(unchecked: schema, columns: columns, rowCount: rows)
    }

    /// For callers that built the columns from the schema themselves.
    public init(unchecked schema: Schema, columns: [Column], rowCount: Int) {
        self.schema = schema
        self.columns = columns
        self.rowCount = rowCount
    }

    /// A batch from boxed rows, each with one value per field in schema order.
    public init(schema: Schema, rows: [[Value]]) throws {
        let builders = schema.map { ColumnBuilder($0.type, capacity: rows.count) }
        for (r, row) in rows.enumerated() {
            guard row.count == schema.count else {
                throw SchemaError("row \(r) has \(row.count) values, the schema has \(schema.count) fields")
            }
            for (c, value) in row.enumerated() {
                do { try builders[c].append(value) } catch let e as SchemaError {
                    throw SchemaError("row \(r), column '\(schema[c].name)': \(e.message)", column: schema[c].name)
                }
            }
        }
        try self.init(schema: schema, columns: builders.map { $0.build() })
    }

    /// A batch with no rows.
    public static func empty(_ schema: Schema) -> RecordBatch {
        RecordBatch(unchecked: schema, columns: schema.map { ColumnBuilder($0.type).build() }, rowCount: 0)
    }

    public func column(named name: String) -> Column? {
        schema.index(of: name).map { columns[$0] }
    }

    public func value(row: Int, column: Int) -> Value { columns[column].value(at: row) }

    /// Every row, boxed (tests and summaries).
    public var rows: [[Value]] {
        (0..<rowCount).map { r in columns.map { $0.value(at: r) } }
    }

    /// Rows `range`.
    public func slice(_ range: Range<Int>) -> RecordBatch {
        if range == 0..<rowCount { return self }
        return RecordBatch(unchecked: schema, columns: columns.map { $0.slice(range) }, rowCount: range.count)
    }

    /// The first `n` rows (all when fewer).
    public func head(_ n: Int) -> RecordBatch { slice(0..<min(max(n, 0), rowCount)) }

    /// The named columns, in that order.
    public func project(_ names: [String]) throws -> RecordBatch {
        let projected = try schema.project(names)
        return RecordBatch(unchecked: projected, columns: names.map { columns[schema.index(of: $0)!] }, rowCount: rowCount)
    }

    /// The rows where `mask` is true; `mask` has one entry per row.
    public func filter(_ mask: [Bool]) -> RecordBatch {
        precondition(mask.count == rowCount, "mask length \(mask.count) differs from \(rowCount) rows")
        var indices: [Int] = []
        indices.reserveCapacity(rowCount)
        for (i, keep) in mask.enumerated() where keep { indices.append(i) }
        if indices.count == rowCount { return self }
        return RecordBatch(unchecked: schema, columns: columns.map { $0.gather(indices) }, rowCount: indices.count)
    }

    /// Batches of one schema, one after another.
    public static func concatenate(_ batches: [RecordBatch]) throws -> RecordBatch {
        guard let first = batches.first else { throw SchemaError("nothing to concatenate") }
        for b in batches where b.schema != first.schema {
            throw SchemaError("cannot concatenate \(b.schema) onto \(first.schema)")
        }
        if batches.count == 1 { return first }
        let columns = first.schema.indices.map { i in Column.concatenate(batches.map { $0.columns[i] }) }
        return RecordBatch(unchecked: first.schema, columns: columns, rowCount: batches.reduce(0) { $0 + $1.rowCount })
    }

    /// Approximate bytes held in memory.
    public var byteSize: Int { columns.reduce(0) { $0 + $1.byteSize } }
}

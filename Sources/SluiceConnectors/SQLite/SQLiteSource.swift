import SluiceCore

/// Reads a SQLite table, or a read-only query, from a database file.
///
/// Schema: from the table's declared column types (`SQLiteTypeMapping`; NOT NULL columns
/// are not nullable), or from the query's result columns. Tasks: a table is split into
/// `partitions` ranges of `rowid` between its smallest and largest (one task for an empty or
/// WITHOUT ROWID table); without `partitions`, their number comes from the table's size when
/// tasks are planned (`TableTaskPlan`: its pages in `dbstat`, else the file's size); a query
/// is one task. Pushdowns become SQL (`SQLSelect`): the
/// columns (plus those the filter reads), the filter terms SQLite compares as Sluice does
/// (not dates and timestamps, stored as text), and `LIMIT` when the whole filter went to SQL.
/// Values are bound as parameters; names are quoted identifiers.
public struct SQLiteSource: DataSource {
    public let path: String
    let relation: SQLRelation
    /// Rowid ranges to plan; nil plans them from the table's size.
    public let partitions: Int?
    public let batchRows: Int
    /// When false, pushdowns are ignored (everything is read); for comparisons in tests.
    public let pushdownEnabled: Bool
    public let schema: Schema

    public var name: String { "SQLite \(relation.label) in \(path)" }

    /// Opens the database (read-only) to read the schema; fails when the table or query
    /// does not exist or the query writes.
    init(path: String, relation: SQLRelation, partitions: Int? = nil, batchRows: Int = 65_536, pushdownEnabled: Bool = true) throws {
        self.path = path
        self.relation = relation
        self.partitions = partitions
        self.batchRows = batchRows
        self.pushdownEnabled = pushdownEnabled
        let database = try SQLiteDatabase(path: path, readOnly: true)
        switch relation {
        case let .table(table):
            guard let columns = try database.columns(of: table) else {
                throw database.failure("no table '\(table)' in the database")
            }
            schema = Schema(columns.map {
                Field($0.name, SQLiteTypeMapping.sluiceType(declared: $0.declaredType) ?? .string, nullable: !$0.notNull)
            })
        case let .query(sql):
            let statement = try database.prepare(SQLRelation.trimmingSemicolons(sql))
            guard statement.isReadOnly else { throw database.failure("the query must only read (a SELECT)") }
            let sniffed = try statement.step()
            var fields: [Field] = []
            for i in 0..<statement.columnCount {
                let declared = SQLiteTypeMapping.sluiceType(declared: statement.declaredType(i))
                let type = declared ?? (sniffed ? SQLiteTypeMapping.sluiceType(storageClass: statement.storageClass(i)) : .string)
                fields.append(Field(statement.columnName(i), type))
            }
            do { schema = try Schema(validating: fields) } catch let error as SchemaError {
                throw database.failure("the query's columns: \(error.message); name them apart with AS")
            }
        }
    }

    public func tasks(_ pushdowns: Pushdowns) async throws -> [any DataSourceTask] {
        let used = pushdownEnabled ? pushdowns : .none
        let plan = ReadPlan(source: schema, pushdowns: used)
        let translator = SQLFilterTranslator(schema: schema) { field in
            switch field.type {
            case .date, .timestamp: return false
            default: return true
            }
        }
        return try rowidRanges().map { range in
            let condition = range.map { ("rowid >= ? AND rowid < ?", [Value.int($0.lowerBound), Value.int($0.upperBound)]) }
            let select = SQLSelect(dialect: .sqlite, relation: relation, plan: plan, pushdowns: used,
                                   translator: translator, range: condition)
            return SQLiteReadTask(path: path, select: select, schema: plan.schema, batchRows: batchRows)
        }
    }

    /// `partitions` even ranges covering every rowid, or one unbounded task (`nil`) for a
    /// query, an empty table, a single partition or a table without rowids.
    func rowidRanges() throws -> [Range<Int64>?] {
        guard case let .table(table) = relation, partitions != 1 else { return [nil] }
        let database = try SQLiteDatabase(path: path, readOnly: true)
        let partitions = try self.partitions ?? TableTaskPlan.partitions(tableBytes: Self.storageBytes(of: table, in: database))
        guard partitions > 1, let statement = try? database.prepare("SELECT min(rowid), max(rowid) FROM \(SQLDialect.quoteQualified(table))"),
              try statement.step(), !statement.isNull(0)
        else { return [nil] }
        let low = statement.int(0), high = statement.int(1)
        let span = UInt64(bitPattern: high &- low) + 1
        let parts = UInt64(partitions)
        return (0..<parts).map { k in
            let start = low &+ Int64(bitPattern: span / parts * k + min(k, span % parts))
            let end = low &+ Int64(bitPattern: span / parts * (k + 1) + min(k + 1, span % parts))
            // The last range ends after `high` (Int64.max cannot be exceeded: stop there).
            return k == parts - 1 ? start..<(high == .max ? .max : high + 1) : start..<end
        }
    }

    /// The bytes of the table's pages (`dbstat`), or of the whole file when this SQLite has
    /// no `dbstat`.
    static func storageBytes(of table: String, in database: SQLiteDatabase) throws -> Int64 {
        if let pages = try? database.prepare("SELECT sum(pgsize) FROM dbstat WHERE name = ?") {
            try pages.bind(.string(SQLiteDatabase.unquoted(table)), at: 1)
            if try pages.step(), !pages.isNull(0) { return pages.int(0) }
            return 0
        }
        let file = try database.prepare("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()")
        return try file.step() ? file.int(0) : 0
    }
}

/// One rowid range (or the whole query) of a `SQLiteSource`.
struct SQLiteReadTask: DataSourceTask {
    let path: String
    let select: SQLSelect
    let schema: Schema
    let batchRows: Int

    func read() -> RecordBatchStream {
        let task = self
        return .producing { try SQLiteBatchReader(path: task.path, select: task.select, schema: task.schema, batchRows: task.batchRows) }
    }
}

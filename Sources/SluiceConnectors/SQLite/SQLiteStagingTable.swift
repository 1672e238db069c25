import SluiceCore

/// The staging table of one `SQLiteSink` write: `<schema>.<name>`, in the private temporary
/// database the write attached, so filling it takes no lock on the target's file.
///
/// Columns: the target's definitions (declared type, NOT NULL) when the target exists, else
/// the first batch's types. Every batch is checked against them: a column the target lacks,
/// or a type that does not fit the column's, is a `SchemaError` naming the column (the
/// client's mistake). A column that
/// first appears in a later batch is added (to a new target only).
final class SQLiteStagingTable {
    let database: SQLiteDatabase
    let name: String
    /// `"schema"."name"`.
    let relation: String
    private let targetName: String
    private let targetExists: Bool
    private var columns: [SQLiteColumn]
    private var inserter: SQLiteRowInserter?

    init(database: SQLiteDatabase, schema: String, name: String, first: Schema, target: [SQLiteColumn]?, targetName: String) throws {
        guard !first.isEmpty || target != nil else { throw database.failure("an upload without columns cannot create a table") }
        self.database = database
        self.name = name
        relation = SQLDialect.quote(schema) + "." + SQLDialect.quote(name)
        self.targetName = targetName
        targetExists = target != nil
        columns = target ?? first.map {
            SQLiteColumn(name: $0.name, declaredType: SQLiteTypeMapping.declaredType(for: $0.type), notNull: false, primaryKey: false)
        }
        let definitions = columns.map { "\(SQLDialect.quote($0.name)) \($0.declaredType)\($0.notNull ? " NOT NULL" : "")" }
        try database.execute("CREATE TABLE \(relation) (\(definitions.joined(separator: ", ")))")
        try check(first)
    }

    func insert(_ batch: RecordBatch) throws {
        try check(batch.schema)
        try inserter?.insert(batch)
    }

    /// Checks the batch's columns against the table's, adding new ones to a new target, and
    /// prepares the insert for the columns the batch has.
    private func check(_ schema: Schema) throws {
        for field in schema {
            if let column = columns.first(where: { $0.name == field.name }) {
                let columnType = SQLiteTypeMapping.sluiceType(declared: column.declaredType)
                guard SQLiteTypeMapping.fits(field.type, into: columnType) else {
                    throw SchemaError("column '\(field.name)' is \(field.type) in the upload, the table \(targetName) declares "
                                      + "\(column.declaredType) (\(columnType.map(\.description) ?? "any"))", column: field.name)
                }
            } else if targetExists {
                throw SchemaError("the table \(targetName) has no column '\(field.name)' (columns: "
                                  + columns.map(\.name).joined(separator: ", ") + ")", column: field.name)
            } else {
                let column = SQLiteColumn(name: field.name, declaredType: SQLiteTypeMapping.declaredType(for: field.type),
                                          notNull: false, primaryKey: false)
                try database.execute("ALTER TABLE \(relation) ADD COLUMN \(SQLDialect.quote(field.name)) \(column.declaredType)")
                columns.append(column)
            }
        }
        let present = schema.names
        if !present.isEmpty, inserter?.columns != present {
            inserter = try SQLiteRowInserter(database: database, relation: relation, columns: present,
                                             rowsBefore: (inserter?.rowsBefore ?? 0) + (inserter?.rowsInserted ?? 0))
        }
    }
}

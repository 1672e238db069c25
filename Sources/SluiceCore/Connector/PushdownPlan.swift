/// Pushdowns prepared against a source schema: the filter bound once, the output schema
/// worked out, ready to reshape each batch a task yields. `PushdownApplier` runs one over a
/// stream; the server can also call `apply(to:)` per batch.
///
/// A task's batches may have the full source schema, the projected schema, the projection
/// plus the filter's columns, or any other superset of what is needed, in any order: columns
/// are found by name. A needed column that is missing, has another type, or holds nulls
/// where the source schema says it cannot is a `SchemaError` naming it.
public struct PushdownPlan: Sendable {
    public let pushdowns: Pushdowns
    public let sourceSchema: Schema
    /// The schema of every batch `apply(to:)` returns: the `columns` asked for, in that
    /// order, with their source fields (all source columns when `columns` is nil).
    public let outputSchema: Schema
    private let filter: BoundFilter?

    /// Validates the pushdowns against `sourceSchema` (see `PushdownApplier.validate`).
    public init(_ pushdowns: Pushdowns, sourceSchema: Schema) throws {
        self.pushdowns = pushdowns
        self.sourceSchema = sourceSchema
        self.outputSchema = try Self.outputSchema(for: pushdowns.columns, in: sourceSchema)
        self.filter = try pushdowns.filter.map { try BoundFilter($0, schema: sourceSchema) }
        if let limit = pushdowns.limit, limit < 0 {
            throw PushdownError(.limit, "must be 0 or more, not \(limit)")
        }
    }

    /// The filter, then the projection, of one batch. The limit is not applied here: it
    /// spans a whole stream (`PushdownApplier.limit`).
    public func apply(to batch: RecordBatch) throws -> RecordBatch {
        let mask = try filter?.evaluate(on: batch)
        let projected = try project(batch)
        return mask.map { projected.filter($0) } ?? projected
    }

    /// `batch`'s columns rearranged to `outputSchema`.
    private func project(_ batch: RecordBatch) throws -> RecordBatch {
        if batch.schema == outputSchema { return batch }
        var columns: [Column] = []
        columns.reserveCapacity(outputSchema.count)
        for field in outputSchema {
            guard let column = batch.column(named: field.name) else {
                throw SchemaError(
                    "a task's batch lacks column '\(field.name)' (batch columns: \(batch.schema.names.joined(separator: ", ")))",
                    column: field.name)
            }
            guard column.type == field.type else {
                throw SchemaError("column '\(field.name)' is \(column.type) in a task's batch, the source says \(field.type)",
                                  column: field.name)
            }
            guard field.nullable || column.validity == nil else {
                throw SchemaError("column '\(field.name)' is not nullable but a task's batch holds nulls", column: field.name)
            }
            columns.append(column)
        }
        return RecordBatch(unchecked: outputSchema, columns: columns, rowCount: batch.rowCount)
    }

    static func outputSchema(for columns: [String]?, in schema: Schema) throws -> Schema {
        guard let columns else { return schema }
        var seen = Set<String>()
        var fields: [Field] = []
        for name in columns {
            guard seen.insert(name).inserted else { throw PushdownError(.columns, "column '\(name)' is listed twice") }
            guard let field = schema.field(named: name) else {
                throw PushdownError(.columns, "unknown column '\(name)' (columns: \(schema.names.joined(separator: ", ")))")
            }
            fields.append(field)
        }
        return Schema(fields)
    }
}

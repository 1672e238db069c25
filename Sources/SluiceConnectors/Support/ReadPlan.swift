import SluiceCore

/// How a source honours pushdowns: which columns to produce and whether it may stop early.
///
/// Pushdowns are hints (DESIGN.md): the server re-applies filter, projection and limit. A
/// source that honours `columns` must still produce the columns its filter reads, so
/// `columns` is the requested columns in the requested order, then any filter-only columns
/// in schema order. Unknown names are left out (the server reports them). A limit is pushed
/// down only when there is no filter, since rows a filter drops must not count.
struct ReadPlan: Sendable {
    /// The schema the task yields.
    let schema: Schema
    /// Source column indices in output order.
    let columnIndices: [Int]
    /// Rows to stop after (per task), when the limit may be pushed down.
    let limit: Int?
    /// True when every source column is produced in source order.
    let isFullSchema: Bool

    init(source: Schema, pushdowns: Pushdowns) {
        var indices: [Int]
        if let wanted = pushdowns.columns {
            indices = []
            for name in wanted { if let i = source.index(of: name), !indices.contains(i) { indices.append(i) } }
            if let filter = pushdowns.filter {
                var needed = Set<String>()
                Self.collectColumns(of: filter, into: &needed)
                for (i, field) in source.enumerated() where needed.contains(field.name) && !indices.contains(i) {
                    indices.append(i)
                }
            }
        } else {
            indices = Array(source.indices)
        }
        columnIndices = indices
        schema = Schema(indices.map { source[$0] })
        isFullSchema = indices == Array(source.indices)
        limit = pushdowns.filter == nil ? pushdowns.limit.map { max($0, 0) } : nil
    }

    /// `batch` (of the source schema) reduced to the plan's columns.
    func project(_ batch: RecordBatch) -> RecordBatch {
        if isFullSchema { return batch }
        return RecordBatch(unchecked: schema, columns: columnIndices.map { batch.columns[$0] }, rowCount: batch.rowCount)
    }

    private static func collectColumns(of expression: Expression, into names: inout Set<String>) {
        switch expression {
        case let .column(name): names.insert(name)
        case .literal: break
        case let .compare(_, a, b), let .and(a, b), let .or(a, b):
            collectColumns(of: a, into: &names)
            collectColumns(of: b, into: &names)
        case let .not(e), let .isNull(e, _): collectColumns(of: e, into: &names)
        case let .inList(e, items, _):
            collectColumns(of: e, into: &names)
            for item in items { collectColumns(of: item, into: &names) }
        }
    }
}

/// `RecordBatch` → NDJSON: one object per row and line, keys in schema order, written
/// straight into the output bytes (value forms: `JSONWritePlan.Form`).
///
/// The schema is compiled once into a `JSONWritePlan`; each batch reserves an upper bound
/// of its size once and writes every row through a pointer (`JSONBatchWriter`).
public struct NDJSONEncoder {
    public let schema: Schema
    private let plan: JSONWritePlan

    public init(schema: Schema) {
        self.schema = schema
        plan = JSONWritePlan(fields: schema.fields)
    }

    /// Appends the batch's rows to `out`, each line ending in `\n`. The batch must have
    /// this encoder's schema.
    public func encode(_ batch: RecordBatch, into out: inout [UInt8]) {
        precondition(batch.columns.count == schema.count, "a batch of \(batch.columns.count) columns for a schema of \(schema.count)")
        assert(batch.schema.names == schema.names, "batch schema \(batch.schema) differs from \(schema)")
        let rowCount = batch.rowCount
        guard rowCount > 0 else { return }
        let writer = JSONBatchWriter(plan: plan, columns: batch.columns)
        writer.withColumnPointers {
            out.appendWriting(maxBytes: writer.rowsBound(0..<rowCount) + rowCount) { p in
                var q = p
                for r in 0..<rowCount {
                    q = writer.writeRow(r, to: q)
                    q[0] = UInt8(ascii: "\n")
                    q += 1
                }
                return q
            }
        }
    }
}

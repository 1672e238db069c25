/// `RecordBatch` → NDJSON: one object per row and line, keys in schema order, written
/// straight into the output bytes (value forms: `JSONColumnWriter`).
///
/// The key bytes are computed once here; each batch is written in blocks of rows, for each
/// block reserving an upper bound of its size and then writing through a pointer.
public struct NDJSONEncoder {
    public let schema: Schema
    private let keys: JSONObjectKeys
    private static let rowsPerBlock = 1024

    public init(schema: Schema) {
        self.schema = schema
        keys = JSONObjectKeys(schema.names)
    }

    /// Appends the batch's rows to `out`, each line ending in `\n`. The batch must have
    /// this encoder's schema.
    public func encode(_ batch: RecordBatch, into out: inout [UInt8]) {
        precondition(batch.columns.count == schema.count, "a batch of \(batch.columns.count) columns for a schema of \(schema.count)")
        assert(batch.schema.names == schema.names, "batch schema \(batch.schema) differs from \(schema)")
        let rows = JSONObjectWriter(keys: keys, columns: batch.columns)
        var start = 0
        while start < batch.rowCount {
            let end = min(start + Self.rowsPerBlock, batch.rowCount)
            out.appendWriting(maxBytes: rows.bound(start..<end) + (end - start)) { p in
                var q = p
                for r in start..<end {
                    q = rows.write(r, q)
                    q[0] = UInt8(ascii: "\n")
                    q += 1
                }
                return q
            }
            start = end
        }
    }
}

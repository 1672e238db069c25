/// `RecordBatch` → CSV (RFC 4180 quoting): a header row of the field names, written once
/// before the first rows, then one record per row, each ending in `\n` (LF; the decoder
/// accepts CRLF too). Cell forms: `CSVColumnWriter`.
public struct CSVEncoder {
    public let schema: Schema
    private var headerPending: Bool

    public init(schema: Schema, header: Bool = true) {
        self.schema = schema
        headerPending = header
    }

    /// Appends the batch's rows (and, the first time, the header) to `out`.
    public mutating func encode(_ batch: RecordBatch, into out: inout [UInt8]) {
        precondition(batch.columns.count == schema.count, "a batch of \(batch.columns.count) columns for a schema of \(schema.count)")
        if headerPending {
            for (i, name) in schema.names.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Array(name.utf8).withUnsafeBytes { CSVColumnWriter.appendCell($0, to: &out) }
            }
            out.append(0x0A)
            headerPending = false
        }
        let columns = batch.columns.map(CSVColumnWriter.init)
        for r in 0..<batch.rowCount {
            for (i, column) in columns.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                column.write(r, &out)
            }
            out.append(0x0A)
        }
    }
}

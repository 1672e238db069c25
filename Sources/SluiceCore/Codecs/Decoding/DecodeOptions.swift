/// Limits shared by the NDJSON and CSV decoders (`NDJSONDecoder.Options`,
/// `CSVDecoder.Options`).
public struct DecodeOptions: Hashable, Sendable {
    /// The longest line (CSV: record) accepted, in bytes; longer ones are an issue.
    public var maxLineLength: Int
    /// Rows per emitted batch; without a schema, types are inferred over each batch's rows.
    public var batchRows: Int
    /// Issues collected before decoding stops with a `DecodeError`.
    public var maxIssues: Int

    public init(maxLineLength: Int = 1 << 20, batchRows: Int = 65_536, maxIssues: Int = 100) {
        precondition(maxLineLength > 0 && batchRows > 0 && maxIssues > 0, "decode limits must be positive")
        self.maxLineLength = maxLineLength
        self.batchRows = batchRows
        self.maxIssues = maxIssues
    }
}

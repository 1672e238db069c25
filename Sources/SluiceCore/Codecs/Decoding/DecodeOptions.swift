/// Limits shared by the NDJSON and CSV decoders (`NDJSONDecoder.Options`,
/// `CSVDecoder.Options`).
public struct DecodeOptions: Hashable, Sendable {
    /// The longest line (CSV: record) accepted, in bytes; longer ones are an issue.
    public var maxLineLength: Int
    /// Rows per emitted batch; without a schema, types are inferred over each batch's rows.
    public var batchRows: Int
    /// Issues collected before decoding stops with a `DecodeError`.
    public var maxIssues: Int
    /// The line number of the first line fed, used in issues. A large input split at line
    /// breaks can be decoded in pieces, in parallel, each decoder told where its piece
    /// starts, and the issues still name the lines of the whole input.
    public var firstLine: Int

    public init(maxLineLength: Int = 1 << 20, batchRows: Int = 65_536, maxIssues: Int = 100, firstLine: Int = 1) {
        precondition(maxLineLength > 0 && batchRows > 0 && maxIssues > 0, "decode limits must be positive")
        precondition(firstLine >= 1, "line numbers start at 1")
        self.maxLineLength = maxLineLength
        self.batchRows = batchRows
        self.maxIssues = maxIssues
        self.firstLine = firstLine
    }
}

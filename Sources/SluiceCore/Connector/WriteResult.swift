/// What one `write` step of a sink produced (Daft's `WriteResult`): the sink's own result
/// value plus the rows and bytes it wrote. The results of every write of a session are
/// handed, unordered, to `finalize` or `abort`.
public struct WriteResult<Result: Codable & Sendable>: Sendable, Codable {
    public var result: Result
    public var rowsWritten: Int64
    public var bytesWritten: Int64

    public init(result: Result, rowsWritten: Int64, bytesWritten: Int64) {
        self.result = result
        self.rowsWritten = rowsWritten
        self.bytesWritten = bytesWritten
    }

    enum CodingKeys: String, CodingKey {
        case result
        case rowsWritten = "rows_written"
        case bytesWritten = "bytes_written"
    }
}

/// A connector that writes rows and reports what it wrote (Daft's `DataSink`).
///
/// One instance serves one write job (a write session): the server makes a fresh sink from
/// its factory for each session, so instance state is per session. Calls, in order:
/// - `start()` once, before anything is written (open a transaction, create a folder).
/// - `write(_:)` any number of times, possibly concurrently for different uploads of the
///   same session; also with an empty stream. It consumes the batches and returns one
///   `WriteResult` per unit written (a file, a transaction). Rows must be durable or staged
///   when it returns. If it throws, the server calls `abort` with the results of that upload
///   that it already has (none), so a write that fails must leave nothing behind itself.
/// - `finalize(_:)` once, with every result of the session in any order: commit, publish,
///   and return a summary batch whose schema must equal `schema` exactly (checked; a
///   mismatch fails the finalize).
/// - `abort(_:)` instead of finalize, or for the results of one upload that failed part way
///   (bad input after some batches were written): remove exactly what those results
///   describe. Daft has no abort; Spark does. Must be safe to call with no results.
public protocol DataSink: AnyObject, Sendable {
    associatedtype Result: Codable & Sendable

    /// A short description for people ("Local NDJSON files").
    var name: String { get }
    /// The schema of the finalize summary.
    var schema: Schema { get }
    /// When set, uploads are validated and coerced against it; otherwise types are inferred
    /// per batch.
    var inputSchema: Schema? { get }

    func start() async throws
    func write(_ batches: RecordBatchStream) async throws -> [WriteResult<Result>]
    func finalize(_ results: [WriteResult<Result>]) async throws -> RecordBatch
    func abort(_ results: [WriteResult<Result>]) async throws
}

extension DataSink {
    public var inputSchema: Schema? { nil }
    public func start() async throws {}
    public func abort(_ results: [WriteResult<Result>]) async throws {}

    /// Finalize, then check the summary against `schema` as Daft does.
    public func finalizeChecked(_ results: [WriteResult<Result>]) async throws -> RecordBatch {
        let summary = try await finalize(results)
        guard summary.schema == schema else {
            throw ConnectorError(connector: name, "finalize returned \(summary.schema), the sink declares \(schema)")
        }
        return summary
    }
}

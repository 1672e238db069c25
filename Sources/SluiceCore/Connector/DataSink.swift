/// A connector that writes rows and reports what it wrote (Daft's `DataSink`).
///
/// One instance serves one write job (a write session): the server makes a fresh sink from
/// its factory for each session (`SinkFactory.make(session:)`, with the session's id), so
/// instance state is per session. Calls, in order:
/// - `start()` once, before anything is written (open a transaction, create a folder).
/// - `write(_:)` any number of times, possibly concurrently for different uploads of the
///   same session; also with an empty stream. It consumes the batches and returns one
///   `WriteResult` per unit written (a file, a transaction). Rows must be durable or staged
///   when it returns. If it throws, the server calls `abort` with the results of that upload
///   that it already has (none), so a write that fails must leave nothing behind itself.
/// - `finalize(_:)` with every result of the session in any order: commit, publish,
///   and return a summary batch whose schema must equal `schema` exactly (checked; a
///   mismatch fails the finalize). If it throws, the session stays open with its results:
///   the client may finalize again (so a finalize must be safe to run twice) or abort.
/// - `abort(_:)` instead of finalize: remove everything the session staged (what the results
///   describe, and whatever an upload cut off by a crash left behind). Daft has no abort;
///   Spark does. Must be safe to call with no results, and again after it ran.
///
/// Blocking: every call runs on Swift's shared executor (as many threads as cores), so none
/// may block. Do file, database or other blocking work through `BlockingWork.run`, or keep a
/// blocking resource in a `BlockingConfined` and call it there (the built-in file and SQLite
/// sinks do).
///
/// Surviving a crash (the server keeps every acknowledged result in its session store):
/// - After a restart an open session gets a fresh instance (same session id) and `resume(_:)`
///   with the results of every acknowledged upload, instead of `start()`. It must remove what
///   the session staged that the results do not name (an upload the crash cut off), and
///   leave the instance ready for more writes, `finalize` or `abort`. So a resumable sink
///   keeps its staging where the session id alone finds it (a folder or table named after it).
/// - `finalize` may run again after a crash cut it short: it must then finish the job without
///   writing anything twice (commit a marker with the data, or move files with renames that
///   a second run skips).
/// - `removeStaging(keeping:)` runs once per connector at start, on the factory's prototype:
///   remove staging of any session not in the set (left by a session the server never
///   recorded, or one that ended while the server was down).
public protocol DataSink: AnyObject, Sendable {
    associatedtype Result: Codable & Sendable

    /// A short description for people ("Local NDJSON files").
    var name: String { get }
    /// The schema of the finalize summary.
    var schema: Schema { get }
    /// When set, uploads are validated and coerced against it; otherwise types are inferred
    /// per batch.
    var inputSchema: Schema? { get }
    /// The schema an upload is decoded against now (`inputSchema` by default). A table sink
    /// answers its target table's columns when the table exists, so a value that does not
    /// fit, or a column the table lacks, is a located error (line, column, field) before any
    /// row is written. May do I/O; runs once per upload.
    func uploadSchema() async throws -> Schema?

    func start() async throws
    func write(_ batches: RecordBatchStream) async throws -> [WriteResult<Result>]
    func finalize(_ results: [WriteResult<Result>]) async throws -> RecordBatch
    func abort(_ results: [WriteResult<Result>]) async throws
    func resume(_ results: [WriteResult<Result>]) async throws
    func removeStaging(keeping sessions: Set<String>) async throws
}

extension DataSink {
    public var inputSchema: Schema? { nil }
    public func uploadSchema() async throws -> Schema? { inputSchema }
    public func start() async throws {}
    public func abort(_ results: [WriteResult<Result>]) async throws {}
    /// Default: nothing to clean (a sink that stages nothing, or writes straight through).
    public func resume(_ results: [WriteResult<Result>]) async throws {}
    public func removeStaging(keeping sessions: Set<String>) async throws {}

    /// Finalize, then check the summary against `schema` as Daft does.
    public func finalizeChecked(_ results: [WriteResult<Result>]) async throws -> RecordBatch {
        let summary = try await finalize(results)
        guard summary.schema == schema else {
            throw ConnectorError(connector: name, "finalize returned \(summary.schema), the sink declares \(schema)")
        }
        return summary
    }
}

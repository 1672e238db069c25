/// A connector that reads rows (Daft's `DataSource`).
///
/// Contract:
/// - `schema` is fixed for the life of the source; every task yields batches of the task's
///   schema (the source schema, or its projection when the source honours `columns`).
/// - `tasks(_:)` splits the read into independent tasks for the given pushdowns. It is called
///   once per HTTP request that lists or reads tasks, and must be deterministic: the same
///   pushdowns give the same tasks in the same order, since a task is addressed by its index.
///   Each task can be read by a different client at the same time (a parallel split).
/// - A thrown error fails the request; it should carry context (a `ConnectorError`).
public protocol DataSource: Sendable {
    /// A short description for people ("Text files, line by line").
    var name: String { get }
    var schema: Schema { get }
    func tasks(_ pushdowns: Pushdowns) async throws -> [any DataSourceTask]
}

/// One independent part of a source's read (Daft's `DataSourceTask`).
///
/// `read()` may be called more than once (each call reads again from the start). Batches come
/// in order and are pulled one at a time; an error ends the stream and, over HTTP, aborts the
/// response so the client sees an incomplete body.
///
/// Blocking: `read()` itself must return at once. A synchronous read (files, a blocking
/// client library) is a `RecordBatchProducer` behind `RecordBatchStream.producing`, whose
/// `nextBatch()` runs on `BlockingWork`'s queue and may block. An `async` stream must not
/// block: wrap blocking calls in `BlockingWork.run`. `tasks(_:)` runs on the shared executor:
/// keep it quick, or do its I/O through `BlockingWork.run`.
public protocol DataSourceTask: Sendable {
    var schema: Schema { get }
    func read() -> RecordBatchStream
}

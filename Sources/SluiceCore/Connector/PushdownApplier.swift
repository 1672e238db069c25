import SluiceLocks
/// Re-applies pushdowns to what tasks yield, as Daft does (pushdowns are hints a source may
/// ignore): filter, then project, then limit.
///
/// Contract for the server:
/// - Before reading, `validate` the pushdowns against the source schema (or build a
///   `PushdownPlan`, which does the same) and answer 400 on `PushdownError` or
///   `ExpressionError`. For `where=` text, check a `ParsedExpression` first so that the error
///   points into the text.
/// - One task per request (a task's rows URL): `apply` does all three steps.
/// - Several tasks merged into one response (a source's rows URL): run `filterAndProject` on
///   each task's stream, merge them, and put `limit` on the merged stream once, so the limit
///   counts rows across all tasks. `limit` stops pulling from its input as soon as it has
///   yielded enough rows, so the tasks behind it stop too.
/// - Batches left empty by the filter are not passed on.
public enum PushdownApplier {
    /// Checks pushdowns against a source schema: `columns` names existing columns, each
    /// once (`PushdownError`); the filter type-checks (`ExpressionError`); `limit` is not
    /// negative (`PushdownError`).
    public static func validate(_ pushdowns: Pushdowns, against schema: Schema) throws {
        _ = try PushdownPlan(pushdowns, sourceSchema: schema)
    }

    /// The schema of the rows a reader gets for these pushdowns.
    public static func outputSchema(for pushdowns: Pushdowns, sourceSchema: Schema) throws -> Schema {
        try PushdownPlan.outputSchema(for: pushdowns.columns, in: sourceSchema)
    }

    /// Filter, projection and limit over one stream.
    public static func apply(_ pushdowns: Pushdowns, to stream: RecordBatchStream, sourceSchema: Schema) throws -> RecordBatchStream {
        limit(try filterAndProject(pushdowns, to: stream, sourceSchema: sourceSchema), to: pushdowns.limit)
    }

    /// Filter and projection of every batch, for one task of a multi-task read; the limit
    /// is left to the merged stream.
    public static func filterAndProject(_ pushdowns: Pushdowns, to stream: RecordBatchStream, sourceSchema: Schema) throws -> RecordBatchStream {
        let plan = try PushdownPlan(pushdowns, sourceSchema: sourceSchema)
        return RecordBatchStream {
            let cursor = StreamCursor(stream, limit: nil)
            return {
                while let batch = try await cursor.next() {
                    let out = try plan.apply(to: batch)
                    if out.rowCount > 0 { return out }
                }
                return nil
            }
        }
    }

    /// At most `limit` rows of `stream` (all when nil): whole batches until the last, which
    /// is cut; then the stream ends without pulling another batch from its input.
    public static func limit(_ stream: RecordBatchStream, to limit: Int?) -> RecordBatchStream {
        guard let limit else { return stream }
        return RecordBatchStream {
            let cursor = StreamCursor(stream, limit: limit)
            return { try await cursor.next() }
        }
    }
}

/// One iteration of a stream, shared by the closure that pulls from it: yields the batches
/// that have rows, cut to a row limit when there is one, and drops its input once the limit
/// is reached so the source can release what it holds. The lock is never held across the
/// input's `next()` (the iterator is Sendable and its `next` does not mutate it).
private final class StreamCursor: Sendable {
    private struct State: Sendable {
        var iterator: RecordBatchStream.AsyncIterator?
        var remaining: Int
    }

    private let state: Locked<State>

    init(_ stream: RecordBatchStream, limit: Int?) {
        let remaining = limit ?? Int.max
        state = Locked(State(iterator: remaining > 0 ? stream.makeAsyncIterator() : nil, remaining: remaining))
    }

    func next() async throws -> RecordBatch? {
        while let iterator = state.withLock({ $0.iterator }) {
            guard let batch = try await iterator.next() else {
                state.withLock { $0.iterator = nil }
                return nil
            }
            guard batch.rowCount > 0 else { continue }
            return state.withLock { s in
                let kept = batch.head(s.remaining)
                s.remaining -= kept.rowCount
                if s.remaining == 0 { s.iterator = nil }
                return kept
            }
        }
        return nil
    }
}

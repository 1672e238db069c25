import SluiceCore

/// Accepts rows and keeps nothing: it counts rows, bytes (`RecordBatch.byteSize`, the
/// in-memory size) and batches. For benchmarks and smoke tests.
///
/// Each `write` returns one result (also for an empty upload, which counts no batch);
/// `finalize` sums them into one row of `total_rows Int64, total_bytes Int64,
/// batches Int64` (zeros when there were no results).
public final class DiscardSink: DataSink {
    /// What one write counted besides rows and bytes.
    public struct Counts: Codable, Sendable, Hashable {
        public var batches: Int64
    }

    public static let summarySchema = Schema([
        Field("total_rows", .int64),
        Field("total_bytes", .int64),
        Field("batches", .int64),
    ])

    public init() {}

    public var name: String { "Discards rows, counting them" }
    public var schema: Schema { Self.summarySchema }

    public func write(_ batches: RecordBatchStream) async throws -> [WriteResult<Counts>] {
        var rows: Int64 = 0, bytes: Int64 = 0, count: Int64 = 0
        for try await batch in batches {
            rows += Int64(batch.rowCount)
            bytes += Int64(batch.byteSize)
            count += 1
        }
        return [WriteResult(result: Counts(batches: count), rowsWritten: rows, bytesWritten: bytes)]
    }

    public func finalize(_ results: [WriteResult<Counts>]) async throws -> RecordBatch {
        let rows = results.reduce(0) { $0 + $1.rowsWritten }
        let bytes = results.reduce(0) { $0 + $1.bytesWritten }
        let batches = results.reduce(0) { $0 + $1.result.batches }
        return try RecordBatch(schema: schema, rows: [[.int(rows), .int(bytes), .int(batches)]])
    }
}

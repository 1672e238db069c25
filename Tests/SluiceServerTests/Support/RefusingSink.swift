import SluiceCore
import SluiceServer

/// A custom sink that accepts rows (counting them) and then refuses to commit: `finalize`
/// throws, so the API answers `sink-failed` and the session stays open (finalize again, or abort).
final class RefusingSink: DataSink {
    static let summarySchema = Schema([Field("total_rows", .int64)])

    var name: String { "Accepts rows, refuses to commit" }
    var schema: Schema { Self.summarySchema }

    func write(_ batches: RecordBatchStream) async throws -> [WriteResult<Int64>] {
        var rows: Int64 = 0
        for try await batch in batches { rows += Int64(batch.rowCount) }
        return [WriteResult(result: rows, rowsWritten: rows, bytesWritten: 0)]
    }

    func finalize(_ results: [WriteResult<Int64>]) async throws -> RecordBatch {
        throw ConnectorError(connector: "refusing-sink", "the warehouse refused the commit")
    }

    /// `type: refusing-sink`, no options.
    static let connectorType = ConnectorType(name: "refusing-sink", summary: "Refuses to commit (tests)",
                                             kinds: [.sink]) { options, _ in
        try options.finish()
        return .sink(try SinkFactory { RefusingSink() })
    }
}

import SluiceCore
import SluiceServer

/// A custom source that yields `batches` batches of `rowsPerBatch` ids, then fails: the
/// server must abort the chunked response so that clients see an incomplete body. With
/// `failsListing` it fails before any row, when asked for its tasks.
struct FailingSource: DataSource {
    static let schema = Schema([Field("id", .int64, nullable: false)])

    let batches: Int
    let rowsPerBatch: Int
    var failsListing = false

    var name: String { "Yields some rows, then fails" }
    var schema: Schema { Self.schema }

    func tasks(_ pushdowns: Pushdowns) async throws -> [any DataSourceTask] {
        if failsListing { throw ConnectorError(connector: "failing-source", "the catalog service is unreachable") }
        return [Task(batches: batches, rowsPerBatch: rowsPerBatch)]
    }

    struct Task: DataSourceTask {
        let batches: Int
        let rowsPerBatch: Int
        var schema: Schema { FailingSource.schema }

        func read() -> RecordBatchStream {
            let (batches, rows) = (batches, rowsPerBatch)
            return RecordBatchStream {
                let counter = BatchCounter()
                return {
                    let index = counter.advance()
                    guard index < batches else {
                        throw ConnectorError(connector: "failing-source", "the device went away after \(batches) batches")
                    }
                    let first = Int64(index * rows + 1)
                    return RecordBatch(unchecked: FailingSource.schema,
                                       columns: [Column(type: .int64, storage: .int(Array(first..<(first + Int64(rows)))))],
                                       rowCount: rows)
                }
            }
        }
    }

    /// The connector type tests register: `type: failing-source`, options `batches`,
    /// `rows_per_batch` and `fails_listing`.
    static let connectorType = ConnectorType(name: "failing-source", summary: "Fails after some batches (tests)",
                                             kinds: [.source]) { options, _ in
        let batches = try options.int("batches", min: 0) ?? 2
        let rows = try options.int("rows_per_batch", min: 1) ?? 1000
        let failsListing = try options.bool("fails_listing") ?? false
        try options.finish()
        return .source(FailingSource(batches: batches, rowsPerBatch: rows, failsListing: failsListing))
    }
}

/// One stream iteration's position; a stream is pulled by one reader at a time.
private final class BatchCounter: @unchecked Sendable {
    private var next = 0
    func advance() -> Int {
        defer { next += 1 }
        return next
    }
}

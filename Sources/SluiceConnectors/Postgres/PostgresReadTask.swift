import PostgresNIO
import SluiceCore

/// One split of a `PostgresSource`: runs its `SELECT` on a pooled connection and turns the
/// row stream into batches of `batchRows`. postgres-nio's row sequence applies backpressure,
/// so only about one batch is held in memory. The connection is held for the whole read
/// (the stream runs inside `withConnection`, fed through a one-slot channel).
struct PostgresReadTask: DataSourceTask {
    let pool: PostgresPool
    let select: SQLSelect
    let schema: Schema
    let decoders: [PostgresCellDecoder]
    let batchRows: Int

    func read() -> RecordBatchStream {
        let task = self
        return RecordBatchStream {
            let reader = PostgresBatchReader(task)
            return { try await reader.next() }
        }
    }

    /// Reads the rows, handing each full batch to `emit`.
    func run(_ emit: (RecordBatch) async throws -> Void) async throws {
        try await pool.withConnection("reading") { connection in
            let rows = try await connection.query(PostgresQuery(sql: select.sql, parameters: select.parameters), logger: pool.logger)
            var builders = schema.map { ColumnBuilder($0.type, capacity: batchRows) }
            var count = 0, rowNumber = 0
            for try await row in rows {
                rowNumber += 1
                for (i, cell) in row.enumerated() {
                    do { try decoders[i].decode(cell.bytes, into: builders[i]) } catch let error as PostgresCellDecoder.Malformed {
                        throw ConnectorError(connector: "postgres", "row \(rowNumber) of the task, column '\(cell.columnName)': \(error.message)")
                    }
                }
                count += 1
                if count == batchRows {
                    try await emit(try RecordBatch(schema: schema, columns: builders.map { $0.build() }))
                    count = 0
                }
            }
            if count > 0 { try await emit(try RecordBatch(schema: schema, columns: builders.map { $0.build() })) }
            builders.removeAll()
        }
    }
}

/// Pulls batches of a `PostgresReadTask` one at a time: the read runs in a task of its own
/// that stays at most one batch ahead of the reader (a `BoundedQueue` of one).
final class PostgresBatchReader: Sendable {
    private let queue = BoundedQueue<RecordBatch>(capacity: 1)
    private let producer: Task<Void, Never>

    init(_ task: PostgresReadTask) {
        let queue = queue
        producer = Task {
            do {
                try await task.run { batch in
                    guard await queue.put(batch) else { throw CancellationError() }
                }
                await queue.finish()
            } catch {
                await queue.finish(throwing: error)
            }
        }
    }

    /// A reader that stops early (a limit, a dropped client) ends the read and frees the
    /// connection.
    deinit {
        producer.cancel()
        Task { [queue] in await queue.close() }
    }

    func next() async throws -> RecordBatch? {
        try await queue.take()
    }
}

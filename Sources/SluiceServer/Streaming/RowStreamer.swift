import SluiceCore

/// Streams the rows of a source's tasks as encoded bytes, in task order and in each task's
/// row order, with the pushdowns re-applied (filter and projection per batch, the limit
/// across all tasks).
///
/// Batches are read one after another, but reshaping and encoding run in parallel: each batch
/// (cut into pieces of at most `pieceRows` rows) is handed to its own task, and up to
/// `window` of them are in flight while the oldest is written. Output order is the input
/// order; a slow client holds the loop in `write`, so memory stays bounded by about
/// `window` pieces and their bytes whatever the stream's size.
struct RowStreamer: Sendable {
    let tasks: [any DataSourceTask]
    let plan: PushdownPlan
    let format: RowFormat
    /// Pieces encoded at the same time (a little more than the cores, to keep them busy).
    var window = 3
    /// Rows per encoded piece: large enough to amortise a task, small enough for the cache.
    var pieceRows = 2_048

    init(tasks: [any DataSourceTask], pushdowns: Pushdowns, sourceSchema: Schema, format: RowFormat) throws {
        self.tasks = tasks
        plan = try PushdownPlan(pushdowns, sourceSchema: sourceSchema)
        self.format = format
    }

    /// An encoded piece, with its rows so that a limit can cut it.
    private struct Piece: Sendable {
        let batch: RecordBatch
        let bytes: [UInt8]
    }

    /// Writes every row to `out`; returns the number of rows. Throws if a source fails or the
    /// client goes away (the caller then aborts the response).
    func run(into out: any ByteStreamWriter) async throws -> Int {
        let schema = plan.outputSchema
        let preamble = format.preamble(schema: schema)
        if !preamble.isEmpty { try await out.write(preamble) }
        var remaining = plan.pushdowns.limit ?? Int.max
        guard remaining > 0 else { return 0 }
        var inFlight: [Task<Piece, any Error>] = []
        defer { inFlight.forEach { $0.cancel() } }
        var rows = 0

        /// Writes the oldest piece (cut to the limit); false once the limit is reached.
        func writeOldest() async throws -> Bool {
            let piece = try await inFlight.removeFirst().value
            if piece.batch.rowCount <= remaining {
                try await out.write(piece.bytes)
                rows += piece.batch.rowCount
                remaining -= piece.batch.rowCount
            } else {
                try await out.write(encode(piece.batch.head(remaining)))
                rows += remaining
                remaining = 0
            }
            return remaining > 0
        }

        for task in tasks {
            let batches = task.read().makeAsyncIterator()
            while true {
                let next: RecordBatch?
                do { next = try await batches.next() } catch {
                    // The pieces read before the failure may reach the limit: the failure is
                    // then beyond what the client asked for. Otherwise they go out before the abort.
                    while !inFlight.isEmpty { if try await !writeOldest() { return rows } }
                    throw error
                }
                guard let batch = next else { break }
                var start = 0
                while start < batch.rowCount {
                    let piece = batch.slice(start..<min(start + pieceRows, batch.rowCount))
                    start += piece.rowCount
                    inFlight.append(Task { [plan] in
                        let shaped = try plan.apply(to: piece)
                        return Piece(batch: shaped, bytes: shaped.rowCount == 0 ? [] : encode(shaped))
                    })
                    if inFlight.count >= window, try await !writeOldest() { return rows }
                }
            }
        }
        while !inFlight.isEmpty {
            if try await !writeOldest() { break }
        }
        return rows
    }

    private func encode(_ batch: RecordBatch) -> [UInt8] {
        var encoder = format.makeEncoder(schema: batch.schema)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batch.byteSize + batch.rowCount * 16)
        encoder.encode(batch, into: &bytes)
        return bytes
    }
}

import SluiceCore

/// Streams the rows of a source's tasks as encoded bytes, in task order and in each task's
/// row order, with the pushdowns re-applied (filter and projection per batch, the limit
/// across all tasks).
///
/// Batches are read one after another; reshaping and encoding run in tasks, one piece of a
/// batch each, while the oldest piece is written. A stream always has one small piece
/// (`smallPieceRows`) of its own in flight; further pieces, of `pieceRows`, each need a slot
/// of the server's `EncodeSlots`, held until the piece is written. A slow client therefore
/// costs one small piece (the writer waits on the socket meanwhile), and a fast client gets
/// the parallel encoding that keeps every core busy. Output order is the input order.
struct RowStreamer: Sendable {
    let tasks: [any DataSourceTask]
    let plan: PushdownPlan
    let format: RowFormat
    let slots: EncodeSlots
    /// Pieces in flight at most (its own and those on slots).
    var window = 4
    /// Rows of a piece on a slot: large enough to amortise a task, small enough for the cache.
    var pieceRows = 16_384
    /// Rows of a stream's own piece (the only one a slow stream has).
    var smallPieceRows = 1_024

    init(tasks: [any DataSourceTask], pushdowns: Pushdowns, sourceSchema: Schema, format: RowFormat, slots: EncodeSlots) throws {
        self.tasks = tasks
        plan = try PushdownPlan(pushdowns, sourceSchema: sourceSchema)
        self.format = format
        self.slots = slots
    }

    /// An encoded piece, with its rows so that a limit can cut it.
    private struct Piece: Sendable {
        let batch: RecordBatch
        let bytes: [UInt8]
    }

    private struct InFlight {
        let task: Task<Piece, any Error>
        /// Holds one of `slots` until written.
        let slotted: Bool
    }

    /// Writes every row to `out`; returns the number of rows. Throws if a source fails or the
    /// client goes away (the caller then aborts the response).
    func run(into out: any ByteStreamWriter) async throws -> Int {
        let schema = plan.outputSchema
        let preamble = format.preamble(schema: schema)
        if !preamble.isEmpty { try await out.write(preamble) }
        var remaining = plan.pushdowns.limit ?? Int.max
        guard remaining > 0 else { return 0 }
        var inFlight: [InFlight] = []
        defer {
            for piece in inFlight {
                piece.task.cancel()
                if piece.slotted { slots.release() }
            }
        }
        var rows = 0

        /// Writes the oldest piece (cut to the limit); false once the limit is reached.
        func writeOldest() async throws -> Bool {
            let oldest = inFlight.removeFirst()
            defer { if oldest.slotted { slots.release() } }
            let piece = try await oldest.task.value
            if piece.batch.rowCount <= remaining {
                try await out.write(piece.bytes)
                rows += piece.batch.rowCount
                remaining -= piece.batch.rowCount
            } else {
                try await out.write(encode(piece.batch.head(remaining), tight: true))
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
                    // Its own small piece when nothing is in flight; a large one on a free slot;
                    // otherwise the oldest is written first.
                    let slotted: Bool
                    if inFlight.isEmpty {
                        slotted = false
                    } else if inFlight.count < window, slots.tryAcquire() {
                        slotted = true
                    } else {
                        if try await !writeOldest() { return rows }
                        continue
                    }
                    let count = slotted ? pieceRows : smallPieceRows
                    let piece = batch.slice(start..<min(start + count, batch.rowCount))
                    start += piece.rowCount
                    let tight = !slotted
                    inFlight.append(InFlight(task: Task { [plan] in
                        let shaped = try plan.apply(to: piece)
                        return Piece(batch: shaped, bytes: shaped.rowCount == 0 ? [] : encode(shaped, tight: tight))
                    }, slotted: slotted))
                }
            }
        }
        while !inFlight.isEmpty {
            if try await !writeOldest() { break }
        }
        return rows
    }

    /// The piece's bytes. The encoder reserves an upper bound (every string escaped, every
    /// number at full length), often several times the text; `tight` copies a small piece
    /// into its own size, since it may wait long for a slow client.
    private func encode(_ batch: RecordBatch, tight: Bool) -> [UInt8] {
        var encoder = format.makeEncoder(schema: batch.schema)
        var bytes: [UInt8] = []
        encoder.encode(batch, into: &bytes)
        if tight, bytes.capacity > 2 * bytes.count + 4096 { return Array(bytes[...]) }
        return bytes
    }
}

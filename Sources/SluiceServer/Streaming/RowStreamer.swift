import AsyncAlgorithms
import SluiceCore

/// Streams the rows of a source's tasks as encoded bytes, in task order, with the pushdowns
/// re-applied (filter and projection per task, the limit across all of them).
///
/// Up to `readAhead` tasks run at once, each in its own child task that reads, filters,
/// projects and encodes its batches and hands them over through an unbuffered channel: a
/// producer encodes its next batch while the previous one is being written, and waits
/// there, so memory stays bounded by about (readAhead + 1) batches whatever the stream's size.
struct RowStreamer: Sendable {
    let tasks: [any DataSourceTask]
    let pushdowns: Pushdowns
    let sourceSchema: Schema
    let format: RowFormat
    var readAhead = 2

    /// An encoded batch, with the batch itself so that a limit can cut it.
    private struct Chunk: Sendable {
        let batch: RecordBatch
        let bytes: [UInt8]
    }

    var outputSchema: Schema {
        get throws { try PushdownApplier.outputSchema(for: pushdowns, sourceSchema: sourceSchema) }
    }

    /// Writes every row to `out`; returns the number of rows. Throws if a source fails or
    /// the client goes away (the caller then aborts the response).
    func run(into out: ByteStreamWriter) async throws -> Int {
        let schema = try outputSchema
        let preamble = format.preamble(schema: schema)
        if !preamble.isEmpty { try await out.write(preamble) }
        if pushdowns.limit == 0 { return 0 }
        // Each task gets the whole pushdowns: no task needs more rows than the whole limit.
        let perTask = pushdowns
        let channels = tasks.map { _ in AsyncThrowingChannel<Chunk, Error>() }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            // However this ends, no producer may stay blocked on a channel nobody reads.
            defer { for channel in channels { channel.finish() } }
            var started = 0
            func startNext() {
                guard started < tasks.count else { return }
                let index = started
                started += 1
                group.addTask { await produce(task: tasks[index], pushdowns: perTask, schema: schema, into: channels[index]) }
            }
            for _ in 0..<min(readAhead, tasks.count) { startNext() }
            var rows = 0
            var remaining = pushdowns.limit ?? Int.max
            outer: for channel in channels {
                for try await chunk in channel {
                    if chunk.batch.rowCount <= remaining {
                        try await out.write(chunk.bytes)
                        rows += chunk.batch.rowCount
                        remaining -= chunk.batch.rowCount
                    } else {
                        var encoder = format.makeEncoder(schema: schema)
                        var bytes: [UInt8] = []
                        encoder.encode(chunk.batch.head(remaining), into: &bytes)
                        try await out.write(bytes)
                        rows += remaining
                        remaining = 0
                    }
                    if remaining == 0 { break outer }
                }
                startNext()
            }
            group.cancelAll()
            return rows
        }
    }

    private func produce(task: any DataSourceTask, pushdowns: Pushdowns, schema: Schema,
                         into channel: AsyncThrowingChannel<Chunk, Error>) async {
        var encoder = format.makeEncoder(schema: schema)
        do {
            let batches = try PushdownApplier.apply(pushdowns, to: task.read(), sourceSchema: sourceSchema)
            for try await batch in batches {
                if Task.isCancelled { break }
                if batch.rowCount == 0 { continue }
                var bytes: [UInt8] = []
                bytes.reserveCapacity(batch.rowCount * 64)
                encoder.encode(batch, into: &bytes)
                await channel.send(Chunk(batch: batch, bytes: bytes))
            }
            channel.finish()
        } catch {
            channel.fail(error)
        }
    }
}

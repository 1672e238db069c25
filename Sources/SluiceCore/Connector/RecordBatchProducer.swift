/// The reading state of one run of a task, for sources whose reads are synchronous (files,
/// generators, blocking client libraries): yields batches one pull at a time. Made on the
/// first pull of a stream and released when the stream ends or fails (close files in
/// `deinit`). `nextBatch()` may block: each pull runs on `BlockingWork`'s queue, never on the
/// shared executor or an I/O queue.
public protocol RecordBatchProducer: AnyObject {
    /// The next batch, or nil when done.
    func nextBatch() throws -> RecordBatch?
}

extension RecordBatchStream {
    /// A stream whose every iteration opens a fresh producer with `open` on its first pull,
    /// so `read()` may be called again to read from the start.
    ///
    /// ```swift
    /// func read() -> RecordBatchStream { .producing { try LineReader(path: path) } }
    /// ```
    public static func producing<P: RecordBatchProducer>(_ open: @escaping @Sendable () throws -> P) -> RecordBatchStream {
        RecordBatchStream {
            let cell = ProducerCell(open)
            return { try await BlockingWork.run { try cell.next() } }
        }
    }
}

/// Holds one iteration's producer. A stream iterator is pulled by one reader at a time, so
/// the unchecked sendability is never exercised concurrently.
private final class ProducerCell<P: RecordBatchProducer>: @unchecked Sendable {
    // `@unchecked Sendable` guard: one reader pulls an iteration at a time.
    private let open: () throws -> P
    private var producer: P?
    private var finished = false

    init(_ open: @escaping () throws -> P) { self.open = open }

    func next() throws -> RecordBatch? {
        if finished { return nil }
        do {
            if producer == nil { producer = try open() }
            if let batch = try producer!.nextBatch() { return batch }
            finish()
            return nil
        } catch {
            finish()
            throw error
        }
    }

    private func finish() {
        finished = true
        producer = nil
    }
}

extension RecordBatchStream {
    /// A stream of the one batch `make` builds when first pulled (a small source that reads
    /// everything at once, like the seed's text-file example).
    public static func single(_ make: @escaping @Sendable () throws -> RecordBatch) -> RecordBatchStream {
        .producing { SingleBatchProducer(make) }
    }
}

private final class SingleBatchProducer: RecordBatchProducer {
    private var make: (() throws -> RecordBatch)?
    init(_ make: @escaping () throws -> RecordBatch) { self.make = make }
    func nextBatch() throws -> RecordBatch? {
        defer { make = nil }
        return try make?()
    }
}

import SluiceCore

/// The reading state of one task run: yields batches one pull at a time. Made on the first
/// pull of a stream and released when the stream ends or fails (closing its files).
protocol BatchProducer: AnyObject {
    /// The next batch, or nil when done.
    func nextBatch() throws -> RecordBatch?
}

extension RecordBatchStream {
    /// A stream whose every iteration opens a fresh producer with `open` on its first pull,
    /// so `read()` may be called again to read from the start.
    static func producing<P: BatchProducer>(_ open: @escaping @Sendable () throws -> P) -> RecordBatchStream {
        RecordBatchStream {
            let cell = ProducerCell(open)
            return { try cell.next() }
        }
    }
}

/// Holds one iteration's producer. A stream iterator is pulled by one reader at a time, so
/// the unchecked sendability is never exercised concurrently.
private final class ProducerCell<P: BatchProducer>: @unchecked Sendable {
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

/// Wraps a producer of a source's full schema, reducing its batches to a plan's columns.
final class ProjectingProducer<Base: BatchProducer>: BatchProducer {
    private let base: Base
    private let plan: ReadPlan

    init(_ base: Base, plan: ReadPlan) {
        self.base = base
        self.plan = plan
    }

    func nextBatch() throws -> RecordBatch? { try base.nextBatch().map(plan.project) }
}

/// A first-in, first-out hand-over between one producer task and one consumer task that holds
/// at most `capacity` items: `put` waits while it is full, `take` while it is empty. The
/// producer ends it with `finish` (or `finish(throwing:)`, which the consumer then throws); the
/// consumer can `close` it, which releases a waiting producer and drops what is queued.
actor BoundedQueue<Item: Sendable> {
    private let capacity: Int
    private var items: [Item] = []
    private var finished = false
    private var closed = false
    private var failure: (any Error)?
    private var waitingConsumer: CheckedContinuation<Void, Never>?
    private var waitingProducer: CheckedContinuation<Void, Never>?

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Adds an item, waiting for room; returns false when the consumer has closed the queue.
    func put(_ item: Item) async -> Bool {
        while items.count >= capacity, !closed {
            await withCheckedContinuation { waitingProducer = $0 }
        }
        guard !closed else { return false }
        items.append(item)
        wakeConsumer()
        return true
    }

    /// The next item, or nil once the producer finished and everything was taken.
    func take() async throws -> Item? {
        while items.isEmpty, !finished {
            await withCheckedContinuation { waitingConsumer = $0 }
        }
        if !items.isEmpty {
            let item = items.removeFirst()
            waitingProducer?.resume()
            waitingProducer = nil
            return item
        }
        if let failure { throw failure }
        return nil
    }

    /// No more items; `error`, if any, is thrown by `take` after the queued items.
    func finish(throwing error: (any Error)? = nil) {
        finished = true
        failure = error
        wakeConsumer()
    }

    /// The consumer stops: a waiting producer is released and queued items are dropped.
    func close() -> [Item] {
        closed = true
        waitingProducer?.resume()
        waitingProducer = nil
        defer { items.removeAll() }
        return items
    }

    private func wakeConsumer() {
        waitingConsumer?.resume()
        waitingConsumer = nil
    }
}

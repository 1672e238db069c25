/// A first-in, first-out hand-over between one producer task and one consumer task that holds
/// at most `capacity` items: `put` waits while it is full, `take` while it is empty. The
/// producer ends it with `finish` (or `finish(throwing:)`, which the consumer then throws); the
/// consumer can `close` it, which releases a waiting producer and drops what is queued.
///
/// The one channel of the project (uploads decoded in parallel, a database read running one
/// batch ahead). A waiting task that is cancelled is released at once: `put` answers false,
/// `take` throws `CancellationError`.
public actor BoundedQueue<Item: Sendable> {
    private let capacity: Int
    private var items: [Item] = []
    private var finished = false
    private var closed = false
    private var failure: (any Error)?
    private var waitingConsumer: CheckedContinuation<Void, Never>?
    private var waitingProducer: CheckedContinuation<Void, Never>?

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Adds an item, waiting for room; false when the consumer has closed the queue or the
    /// producer's task was cancelled while it waited.
    public func put(_ item: Item) async -> Bool {
        while items.count >= capacity, !closed {
            if Task.isCancelled { return false }
            await wait { self.waitingProducer = $0 }
        }
        guard !closed else { return false }
        items.append(item)
        waitingConsumer?.resume()
        waitingConsumer = nil
        return true
    }

    /// The next item, or nil once the producer finished and everything was taken.
    public func take() async throws -> Item? {
        while items.isEmpty, !finished {
            try Task.checkCancellation()
            await wait { self.waitingConsumer = $0 }
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
    public func finish(throwing error: (any Error)? = nil) {
        finished = true
        failure = error
        waitingConsumer?.resume()
        waitingConsumer = nil
    }

    /// The consumer stops: a waiting producer is released and queued items are dropped.
    @discardableResult
    public func close() -> [Item] {
        closed = true
        waitingProducer?.resume()
        waitingProducer = nil
        defer { items.removeAll() }
        return items
    }

    /// Suspends until resumed, or until the waiting task is cancelled (then every waiter is
    /// woken and re-checks its condition).
    private func wait(_ park: (CheckedContinuation<Void, Never>) -> Void) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { park($0) }
        } onCancel: {
            Task { await self.wakeAll() }
        }
    }

    private func wakeAll() {
        waitingConsumer?.resume()
        waitingConsumer = nil
        waitingProducer?.resume()
        waitingProducer = nil
    }
}

import SluiceLocks

/// The batches a task yields, pulled one at a time: the reader asks for the next batch only
/// when it is ready for it, so a fast source never runs ahead of a slow client
/// (backpressure by construction). Finishes with `nil`; an error ends the stream.
public struct RecordBatchStream: AsyncSequence, Sendable {
    public typealias Element = RecordBatch

    private let makeNext: @Sendable () -> (@Sendable () async throws -> RecordBatch?)

    /// A stream whose iterator calls `next` (made fresh per iteration by `makeNext`).
    public init(_ makeNext: @escaping @Sendable () -> (@Sendable () async throws -> RecordBatch?)) {
        self.makeNext = makeNext
    }

    /// A stream of batches already in memory.
    public init(_ batches: [RecordBatch]) {
        self.init {
            let index = Locked(0)
            return {
                index.withLock { i in
                    guard i < batches.count else { return nil }
                    defer { i += 1 }
                    return batches[i]
                }
            }
        }
    }

    /// Sendable, and `next()` does not mutate it: the state lives behind the closure, so an
    /// iterator may be held in a `let` and used from a closure that another task runs.
    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        let nextBatch: @Sendable () async throws -> RecordBatch?
        public func next() async throws -> RecordBatch? { try await nextBatch() }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(nextBatch: makeNext()) }

    /// Every batch, collected (tests and small reads).
    public func collect() async throws -> [RecordBatch] {
        var out: [RecordBatch] = []
        for try await batch in self { out.append(batch) }
        return out
    }
}

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
            let box = IndexBox()
            return { box.next(of: batches) }
        }
    }

    /// A stream over any async sequence of batches.
    public init<S: AsyncSequence & Sendable>(wrapping sequence: S) where S.Element == RecordBatch {
        self.init {
            let box = IteratorBox(sequence.makeAsyncIterator())
            return { try await box.next() }
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

private final class IndexBox: @unchecked Sendable {
    // `@unchecked Sendable` guard: one iteration's index, advanced by its one reader at a time.
    private var index = 0
    func next(of batches: [RecordBatch]) -> RecordBatch? {
        guard index < batches.count else { return nil }
        defer { index += 1 }
        return batches[index]
    }
}

private final class IteratorBox<I: AsyncIteratorProtocol>: @unchecked Sendable where I.Element == RecordBatch {
    // `@unchecked Sendable` guard: the iterator is advanced by its one reader, each `next` awaited before the next.
    private var iterator: I
    init(_ iterator: I) { self.iterator = iterator }
    func next() async throws -> RecordBatch? { try await iterator.next() }
}

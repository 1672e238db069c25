import Testing
@testable import SluiceCore

struct BoundedQueueTests {
    @Test func itemsComeOutInOrderThenTheEnd() async throws {
        let queue = BoundedQueue<Int>(capacity: 2)
        let producer = Task {
            for i in 1...5 { #expect(await queue.put(i)) }
            await queue.finish()
        }
        var taken: [Int] = []
        while let item = try await queue.take() { taken.append(item) }
        await producer.value
        #expect(taken == [1, 2, 3, 4, 5])
    }

    @Test func theProducerFailureIsThrownAfterTheQueuedItems() async throws {
        struct Broken: Error {}
        let queue = BoundedQueue<Int>(capacity: 4)
        _ = await queue.put(1)
        await queue.finish(throwing: Broken())
        #expect(try await queue.take() == 1)
        await #expect(throws: Broken.self) { try await queue.take() }
    }

    @Test func closingReleasesAWaitingProducerAndDropsTheItems() async {
        let queue = BoundedQueue<Int>(capacity: 1)
        _ = await queue.put(1)
        let blocked = Task { await queue.put(2) }
        try? await Task.sleep(nanoseconds: 20_000_000)
        #expect(await queue.close() == [1])
        #expect(await blocked.value == false)
    }

    @Test func aCancelledConsumerStopsWaiting() async {
        let queue = BoundedQueue<Int>(capacity: 1)
        let consumer = Task { try await queue.take() }
        try? await Task.sleep(nanoseconds: 20_000_000)
        consumer.cancel()
        await #expect(throws: CancellationError.self) { try await consumer.value }
    }

    @Test func aCancelledProducerStopsWaiting() async throws {
        let queue = BoundedQueue<Int>(capacity: 1)
        _ = await queue.put(1)
        let producer = Task { await queue.put(2) }
        try? await Task.sleep(nanoseconds: 20_000_000)
        producer.cancel()
        #expect(await producer.value == false)
        #expect(try await queue.take() == 1)
    }
}

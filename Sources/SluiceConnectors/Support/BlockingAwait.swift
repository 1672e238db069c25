import Foundation

/// Runs async work from synchronous code and waits for it: for the one place a synchronous
/// API needs an answer from an async client (`ConnectorType.make` reading a PostgreSQL
/// source's schema at startup). Never call it on a Swift concurrency thread that the
/// awaited work needs.
enum BlockingAwait {
    static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        return try box.result!.get()
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, Error>?
}

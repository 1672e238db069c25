import Foundation

/// Runs blocking work (socket reads, waiting for a child process) on a thread of its own.
/// Neither the Swift concurrency pool nor Dispatch's global queues may be used for that:
/// both have about one thread per core, and the server under test needs them.
func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 1 << 20
        thread.start()
    }
}

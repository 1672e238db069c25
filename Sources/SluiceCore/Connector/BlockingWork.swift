import Dispatch

/// Where connector code that blocks runs: a concurrent Dispatch queue of its own, so a
/// `pread`, a `sqlite3_step` or an `fsync` never holds one of Swift's shared-executor threads
/// (there are as many as cores) or an I/O queue.
///
/// The built-in sources' `RecordBatchProducer.nextBatch()` runs here (see
/// `RecordBatchStream.producing`). A custom connector with blocking calls in an `async`
/// method wraps them: `try await BlockingWork.run { try file.read(...) }`.
public enum BlockingWork {
    private static let queue = DispatchQueue(label: "sluice.blocking", qos: .userInitiated, attributes: .concurrent)

    /// Runs `body` on the blocking queue and answers its result.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try body() }) }
        }
    }
}

/// A value with blocking methods (a database connection, a file writer) that one task owns and
/// drives through `BlockingWork`: it is made and used only on the blocking queue.
public final class BlockingConfined<Value>: @unchecked Sendable {
    // `@unchecked Sendable` guard: one task owns it and awaits each `run` before the next, so
    // `value` is never touched by two threads at once.
    private let value: Value

    private init(_ value: Value) { self.value = value }

    /// Makes the value on the blocking queue.
    public static func make(_ create: @escaping @Sendable () throws -> Value) async throws -> BlockingConfined<Value> {
        try await BlockingWork.run { BlockingConfined(try create()) }
    }

    /// Runs `body` with the value on the blocking queue.
    public func run<T: Sendable>(_ body: @escaping @Sendable (Value) throws -> T) async throws -> T {
        try await BlockingWork.run { try body(self.value) }
    }
}

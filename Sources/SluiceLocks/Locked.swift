#if canImport(Glibc)
import Glibc
#endif

/// The project's one lock: a value that only `withLock` touches, under a pthread mutex.
///
/// Not `Synchronization.Mutex`: on Linux that locks with raw futex calls inside an
/// uninstrumented library, so ThreadSanitizer sees no ordering between two `withLock`s and
/// reports every guarded access as a race. A pthread mutex it intercepts, so the suite runs
/// clean under `--sanitize=thread` and a real race still shows. Never held across a
/// suspension point or a call that blocks.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    // `@unchecked Sendable` guard: `value` is read and written only inside `withLock`, under `mutex`.
    private var value: Value
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value, holding the lock.
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}

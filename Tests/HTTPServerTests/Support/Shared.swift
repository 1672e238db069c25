import Synchronization

/// A value tests share between a handler and the test body (closures cannot capture a
/// `Mutex` itself, which is not copyable): the engine's one lock type, in a class.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) { self.value = Mutex(value) }

    func withLock<T: Sendable>(_ body: (inout Value) throws -> T) rethrows -> T {
        try value.withLock { try body(&$0) }
    }
}

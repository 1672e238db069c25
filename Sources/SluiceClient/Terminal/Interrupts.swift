@preconcurrency import Dispatch  // Dispatch sources are thread-safe; Dispatch does not mark them Sendable
import Glibc
import SluiceLocks

/// Ctrl-C (SIGINT) and SIGTERM for a client command, counted: the handler hears the first
/// and the second, so a command can stop gently first and hard on the second.
public final class Interrupts: Sendable {
    private let count = Locked(0)
    private let sources: [any DispatchSourceSignal]

    /// Installs the handler; `handler(n)` runs on a Dispatch queue for the n-th signal.
    public init(_ handler: @escaping @Sendable (Int) -> Void) {
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: number, queue: .global())
        }
        for source in sources {
            // Signals that arrive together are handled once, with their number in `data`. The
            // handler holds its source until `cancel()` (Dispatch then releases the handler).
            source.setEventHandler { [weak self] in
                guard let self else { return }
                let arrived = max(Int(source.data), 1)
                let first = self.count.withLock { count in defer { count += arrived }; return count + 1 }
                for number in first..<(first + arrived) { handler(number) }
            }
            source.resume()
        }
    }

    public var received: Int { count.withLock { $0 } }

    /// Gives the signals back to the default handlers.
    public func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}

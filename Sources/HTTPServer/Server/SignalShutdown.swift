#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Logging
import SluiceLocks

extension HTTPServer {
    /// Waits for SIGTERM or SIGINT (through Dispatch signal sources, so no code runs in
    /// signal context), then shuts down gracefully and returns the signal number. Call
    /// after `start()`; the caller typically exits afterwards.
    @discardableResult
    public func runUntilTerminated(gracePeriod: Duration = .seconds(10)) async -> Int32 {
        let signals = TerminationSignals()
        let received = await signals.wait()
        context.logger.info("signal \(received): shutting down", metadata: ["grace_period": "\(gracePeriod)"])
        await shutdown(gracePeriod: gracePeriod)
        return received
    }
}

/// SIGTERM and SIGINT turned into an awaitable event. Installing sets both signals to be
/// ignored by the default disposition, so a signal that arrives early is not fatal; it
/// is still delivered to the Dispatch sources.
final class TerminationSignals: @unchecked Sendable {
    // `@unchecked Sendable` guard: `sources` are Dispatch sources (thread-safe; Dispatch does not mark them Sendable); `state` is `Locked`.
    static let numbers = [SIGTERM, SIGINT]
    private let queue = DispatchQueue(label: "sluice.http.signals")
    private let sources: [any DispatchSourceSignal]
    private let state = Locked<(received: Int32?, waiter: CheckedContinuation<Int32, Never>?)>((nil, nil))

    init() {
        let queue = self.queue
        sources = Self.numbers.map { number in
            signal(number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: number, queue: queue)
        }
        for (source, number) in zip(sources, Self.numbers) {
            source.setEventHandler { [weak self] in
                let waiter = self?.state.withLock { s -> CheckedContinuation<Int32, Never>? in
                    guard s.received == nil else { return nil }
                    s.received = number
                    defer { s.waiter = nil }
                    return s.waiter
                } ?? nil
                waiter?.resume(returning: number)
            }
            source.resume()
        }
    }

    deinit { sources.forEach { $0.cancel() } }

    /// The first signal received (at once if one already arrived).
    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let received = state.withLock { s -> Int32? in
                if s.received == nil { s.waiter = continuation }
                return s.received
            }
            if let received { continuation.resume(returning: received) }
        }
    }
}

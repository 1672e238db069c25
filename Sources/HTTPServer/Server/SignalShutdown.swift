#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

extension HTTPServer {
    /// Waits for SIGTERM or SIGINT (through Dispatch signal sources, so no code runs in
    /// signal context), then shuts down gracefully and returns. Call after `start()`; the
    /// caller typically exits afterwards.
    public func runUntilTerminated(gracePeriod: Duration = .seconds(10)) async {
        let signals = [SIGTERM, SIGINT]
        let queue = DispatchQueue(label: "sluice.http.signals")
        let sources = signals.map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            return DispatchSource.makeSignalSource(signal: number, queue: queue)
        }
        let received: Int32 = await withCheckedContinuation { continuation in
            let fired = LockedState(false)
            for (source, number) in zip(sources, signals) {
                source.setEventHandler {
                    let first = fired.withLock { done -> Bool in
                        defer { done = true }
                        return !done
                    }
                    if first { continuation.resume(returning: number) }
                }
                source.resume()
            }
        }
        sources.forEach { $0.cancel() }
        context.logger.info("signal \(received): shutting down", metadata: ["grace_period": "\(gracePeriod)"])
        await shutdown(gracePeriod: gracePeriod)
    }
}

import Dispatch

/// One serial I/O queue and the connections assigned to it (event-loop style: a fixed
/// number of queues, one per core, rather than a queue or thread per connection).
///
/// The loop keeps a coarse clock, refreshed by a sweep timer, that connections use to stamp
/// their activity without a system call; the same sweep expires timeouts. Everything here
/// is touched only on `queue`.
final class IOLoop: @unchecked Sendable {
    // `@unchecked Sendable` guard: every `var` is touched only on `queue` (asserted by `assertOnQueue()` at the entry points).
    let queue: DispatchQueue
    private var connections: [ObjectIdentifier: ConnectionIO] = [:]
    private let sweepTimer: any DispatchSourceTimer
    private let sweepInterval: DispatchTimeInterval
    private var timerRunning = false
    /// Uptime in nanoseconds as of the last sweep or wake-up that asked for it.
    private(set) var now: UInt64 = DispatchTime.now().uptimeNanoseconds
    let dateHeader = DateHeaderCache()

    init(index: Int, sweepEvery interval: Duration) {
        // Targeting the global (non-overcommit) pool caps the I/O threads at the core count;
        // a plain serial queue would sit on the overcommit pool, which adds threads freely.
        queue = DispatchQueue(label: "sluice.http.io.\(index)", target: .global(qos: .userInitiated))
        sweepTimer = DispatchSource.makeTimerSource(queue: queue)
        let ns = Int(interval.nanoseconds)
        sweepInterval = .nanoseconds(ns)
        sweepTimer.schedule(deadline: .now() + sweepInterval, repeating: sweepInterval, leeway: .nanoseconds(ns / 10))
        sweepTimer.setEventHandler { [weak self] in self?.sweep() }
    }

    deinit {
        // A never-resumed (suspended) source must be resumed before it is released.
        if !timerRunning {
            sweepTimer.resume()
            sweepTimer.cancel()
        }
    }

    /// Refreshes the coarse clock (used at accept, so a new connection's stamps are fresh).
    func tick() { now = DispatchTime.now().uptimeNanoseconds }

    func register(_ connection: ConnectionIO) {
        assertOnQueue()
        connections[ObjectIdentifier(connection)] = connection
        if !timerRunning {
            timerRunning = true
            sweepTimer.resume()
        }
    }

    func unregister(_ connection: ConnectionIO) {
        assertOnQueue()
        connections[ObjectIdentifier(connection)] = nil
    }

    /// Calls `body` on every connection of this loop (on `queue`).
    func forEachConnection(_ body: (ConnectionIO) -> Void) {
        assertOnQueue()
        for connection in Array(connections.values) { body(connection) }
    }

    private func sweep() {
        assertOnQueue()
        tick()
        for connection in Array(connections.values) { connection.checkTimeouts(now: now) }
    }

    /// Traps (in debug builds) when called off `queue`: everything here is confined to it.
    @inline(__always)
    func assertOnQueue() {
        assert({ dispatchPrecondition(condition: .onQueue(queue)); return true }())
    }

    /// Stops the sweep timer; the loop is not used afterwards.
    func stop() {
        queue.async { [self] in
            if !timerRunning { sweepTimer.resume() }
            timerRunning = true
            sweepTimer.cancel()
        }
    }
}

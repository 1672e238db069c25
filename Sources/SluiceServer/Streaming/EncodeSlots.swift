import SluiceLocks

/// The server's budget of row pieces encoded ahead of their streams' clients. Every stream
/// may always have one small piece of its own in flight; pieces beyond it (the parallel
/// encoding that makes one fast stream use every core) each take a slot from here, held
/// until the piece is written. So read-ahead memory is bounded per server, not per stream:
/// 64 slow readers hold one small piece each, and a lone fast reader gets every slot.
final class EncodeSlots: Sendable {
    let capacity: Int
    private let taken = Locked(0)

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// Takes a slot if one is free (never waits: a stream without one writes what it has first).
    func tryAcquire() -> Bool {
        taken.withLock { n in
            guard n < capacity else { return false }
            n += 1
            return true
        }
    }

    func release() {
        taken.withLock { n in
            precondition(n > 0, "an encode slot released twice")
            n -= 1
        }
    }
}

/// The protocol side of a connection (HTTP/1.1 or HTTP/2): what `ConnectionIO` calls when
/// the socket has something for it. Every call arrives on the connection's I/O queue, and
/// none arrives after `connectionClosed()`.
protocol ConnectionHandler: AnyObject {
    /// The read source fired while the connection is open: read with `ConnectionIO.read`.
    func readable()
    /// The socket accepted queued bytes after a write had blocked.
    func outputProgressed()
    /// The loop's sweep, with its coarse clock (nanoseconds of uptime).
    func checkTimeouts(now: UInt64)
    /// Graceful shutdown: finish what is in flight, start nothing new, then close.
    func beginShutdown()
    /// The connection was torn down: fail whatever a handler task waits for.
    func connectionClosed()
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSocketShims
import Dispatch
import Logging

/// Accepts connections on one listening socket through a Dispatch read source.
///
/// Each wake-up accepts until `EAGAIN`. When the process runs out of descriptors
/// (`EMFILE`/`ENFILE`) the source is suspended for a short pause and then resumed, so the
/// server keeps serving the connections it has and recovers once descriptors free up.
final class Acceptor: @unchecked Sendable {
    // `@unchecked Sendable` guard: every `var` is touched only on `queue` (asserted in `acceptPending`).
    private let socket: ListeningSocket
    private let queue: DispatchQueue
    private let source: any DispatchSourceRead
    private let logger: Logger
    private let onAccept: (Int32, SocketAddress) -> Void
    private var suspended = false
    private var cancelled = false
    /// Set while descriptors are exhausted, so the warning is logged once per episode.
    private var exhausted = false

    /// Pause after `EMFILE`/`ENFILE` before trying to accept again.
    static let descriptorExhaustionPause: DispatchTimeInterval = .milliseconds(100)

    init(socket: ListeningSocket, queue: DispatchQueue, logger: Logger, onAccept: @escaping (Int32, SocketAddress) -> Void) {
        self.socket = socket
        self.queue = queue
        self.logger = logger
        self.onAccept = onAccept
        self.source = DispatchSource.makeReadSource(fileDescriptor: socket.fd, queue: queue)
        let fd = socket.fd
        // Weak: a handler that fires after the acceptor is gone does nothing (never a dangling reference).
        source.setEventHandler { [weak self] in self?.acceptPending() }
        source.setCancelHandler { close(fd) }
    }

    func start() { source.resume() }

    /// Stops accepting and closes the listening socket (in the cancel handler).
    func stop() {
        queue.async { [self] in
            guard !cancelled else { return }
            cancelled = true
            if suspended { source.resume() }
            source.cancel()
        }
    }

    private func acceptPending() {
        dispatchPrecondition(condition: .onQueue(queue))
        while !cancelled {
            var address = SocketAddress()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutableBytes(of: &address.storage) { raw in
                csock_accept_nonblocking(socket.fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
            }
            if fd >= 0 {
                exhausted = false
                _ = csock_set_nodelay(fd)
                onAccept(fd, address)
                continue
            }
            switch errno {
            case EAGAIN, EWOULDBLOCK:
                return
            case EINTR, ECONNABORTED, EPROTO:
                continue
            case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                if !exhausted {
                    exhausted = true
                    logger.warning("accept: out of descriptors or memory; pausing accepts until some free up", metadata: ["errno": "\(errno)"])
                }
                pause()
                return
            default:
                logger.error("accept failed", metadata: ["errno": "\(errno)"])
                return
            }
        }
    }

    private func pause() {
        guard !suspended else { return }
        suspended = true
        source.suspend()
        queue.asyncAfter(deadline: .now() + Self.descriptorExhaustionPause) { [self] in
            guard suspended, !cancelled else { return }
            suspended = false
            source.resume()
        }
    }
}

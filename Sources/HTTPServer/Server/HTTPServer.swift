#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Logging
import SluiceLocks

/// An HTTP/1.1 and HTTP/2 cleartext (h2c: prior knowledge or `Upgrade: h2c`, through
/// libnghttp2) server on POSIX sockets and Dispatch; handlers are the same for both.
///
/// ```swift
/// let router = Router()
/// router.get("/hello") { _ in .text("hello\n") }
/// var configuration = HTTPServerConfiguration()
/// configuration.port = 8080
/// let server = HTTPServer(configuration: configuration, router: router, logger: logger)
/// try server.start()
/// await server.runUntilTerminated()   // SIGTERM/SIGINT → graceful shutdown
/// ```
///
/// Connections are spread round-robin over `ioQueueCount` serial queues; synchronous
/// handlers run on those queues, async handlers as tasks.
public final class HTTPServer: @unchecked Sendable {
    // `@unchecked Sendable` guard: `acceptors` is set by `start()` before any connection exists and only read after; the rest is immutable or in `state` (`Locked`).
    public let configuration: HTTPServerConfiguration
    let context: ServerContext
    private let loops: [IOLoop]
    private var acceptors: [Acceptor] = []
    private let state = Locked((nextLoop: 0, boundPort: 0, stopping: false, warnedAtLimit: false))

    public init(configuration: HTTPServerConfiguration, router: Router, logger: Logger) {
        self.configuration = configuration
        context = ServerContext(configuration: configuration, router: router, logger: logger)
        let sweep = Duration.nanoseconds(Int64(min(1_000_000_000, max(10_000_000, configuration.shortestTimeout.nanoseconds / 4))))
        loops = (0..<max(1, configuration.ioQueueCount)).map { IOLoop(index: $0, sweepEvery: sweep) }
    }

    /// The bound port (the ephemeral one when configured with port 0); 0 before `start`.
    public var port: Int { state.withLock { $0.boundPort } }

    /// A snapshot of the counters.
    public var statistics: HTTPServerStatistics { context.statistics.withLock { $0 } }

    /// Binds every configured host (all on one port) and starts accepting.
    public func start() throws {
        signal(SIGPIPE, SIG_IGN)
        var port = configuration.port
        var sockets: [ListeningSocket] = []
        do {
            for host in configuration.hosts {
                let socket = try ListeningSocket.open(host: host, port: port, backlog: configuration.listenBacklog)
                port = socket.address.port
                sockets.append(socket)
            }
        } catch {
            sockets.forEach { close($0.fd) }
            throw error
        }
        state.withLock { $0.boundPort = port }
        for socket in sockets {
            let acceptor = Acceptor(socket: socket, queue: loops[0].queue, logger: context.logger) { [weak self] fd, address in
                guard let self else { close(fd); return }
                self.accepted(fd: fd, address: address)
            }
            acceptors.append(acceptor)
            acceptor.start()
        }
        context.logger.info("listening", metadata: ["hosts": "\(configuration.hosts)", "port": "\(port)"])
    }

    private func accepted(fd: Int32, address: SocketAddress) {
        let admission = context.admitConnection()
        if case .drop = admission {
            close(fd)
            return warnAtConnectionLimit()
        }
        let index = state.withLock { s -> Int in
            if case .serve = admission { s.warnedAtLimit = false }
            s.nextLoop = (s.nextLoop + 1) % loops.count
            return s.nextLoop
        }
        let loop = loops[index]
        let context = self.context
        let remote = address.description
        if case .refuse = admission {
            warnAtConnectionLimit()
            return loop.queue.async {
                loop.tick()
                ConnectionRefusal.start(ConnectionIO(fd: fd, remoteAddress: remote, loop: loop, context: context, refusing: true))
            }
        }
        loop.queue.async {
            loop.tick()
            let connection = ConnectionIO(fd: fd, remoteAddress: remote, loop: loop, context: context)
            connection.start(handler: HTTP1Connection(io: connection))
            if self.state.withLock({ $0.stopping }) { connection.beginShutdown() }
        }
    }

    /// Logs once per episode that connections are being refused.
    private func warnAtConnectionLimit() {
        let first = state.withLock { s -> Bool in
            defer { s.warnedAtLimit = true }
            return !s.warnedAtLimit
        }
        if first {
            context.logger.warning("at the connection limit: refusing new connections with 503",
                                   metadata: ["max_connections": "\(context.maxConnections)"])
        }
    }

    /// Stops accepting, lets in-flight requests finish for up to `gracePeriod` (idle
    /// keep-alive connections close at once, busy ones after their response), then closes
    /// whatever is left.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        let alreadyStopping = state.withLock { s -> Bool in
            defer { s.stopping = true }
            return s.stopping
        }
        guard !alreadyStopping else { return }
        acceptors.forEach { $0.stop() }
        for loop in loops { loop.queue.async { loop.forEachConnection { $0.beginShutdown() } } }
        let deadline = ContinuousClock.now + gracePeriod
        while ContinuousClock.now < deadline, statistics.openConnections > 0 {
            try? await Task.sleep(for: .milliseconds(10))
        }
        for loop in loops { loop.queue.async { loop.forEachConnection { $0.teardown() } } }
        while statistics.openConnections + statistics.refusingConnections > 0 {
            try? await Task.sleep(for: .milliseconds(5))
        }
        loops.forEach { $0.stop() }
        context.logger.info("stopped")
    }
}

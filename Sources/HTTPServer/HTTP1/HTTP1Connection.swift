import Logging

/// The HTTP/1.1 side of a connection: parsing request heads from `ConnectionIO`'s input
/// (pipelined ones too), routing them, serving async handlers' body pulls and writes, and
/// draining unread bodies. When and whether the connection stays open, and every HTTP/1.1
/// timeout, is decided by the value in `state`; socket I/O and the close are `io`'s.
///
/// Everything here runs on the connection's I/O queue; handler tasks reach it only by
/// hopping onto that queue. The request cycle is in `+Requests`, async handler operations
/// in `+Exchange`, the switch to HTTP/2 in `+HTTP2`.
final class HTTP1Connection: ConnectionHandler, @unchecked Sendable {
    // `@unchecked Sendable` guard: every `var` is touched only on `io.loop.queue` (asserted at `readable`, `outputProgressed`, `checkTimeouts`, `beginShutdown`).
    let io: ConnectionIO
    let context: ServerContext
    var state: HTTP1ConnectionState
    var scanner: RequestHeadScanner
    /// The request an async handler owns, while `state.phase` is `.exchange`.
    var exchange: Exchange?
    /// The body of the request being served.
    var body = RequestBodyDecoder.empty
    /// Pipelined requests wait while this many response bytes are still unsent.
    var pipelinePaused = false

    init(io: ConnectionIO) {
        self.io = io
        context = io.context
        let config = io.context.configuration
        state = HTTP1ConnectionState(
            rules: .init(headerTimeout: config.headerTimeout, keepAliveTimeout: config.keepAliveTimeout,
                         bodyIdleTimeout: config.bodyIdleTimeout, maxRequestsPerConnection: config.maxRequestsPerConnection,
                         drainLimit: config.drainLimit),
            now: io.loop.now)
        scanner = RequestHeadScanner(limits: io.context.headLimits)
    }

    var loop: IOLoop { io.loop }
    var remoteAddress: String { io.remoteAddress }

    // MARK: ConnectionHandler

    func readable() {
        loop.assertOnQueue()
        switch state.phase {
        case .awaitingHead:
            readAndService(wanted: 4096)
        case .draining:
            readAndService(wanted: 65536)
        case .exchange:
            guard let exchange, exchange.bodyWaiter != nil else { return io.wantRead(false) }
            switch io.read(wanted: context.configuration.requestBodyChunkSize) {
            case .bytes: deliverBody(to: exchange)
            case .wouldBlock: return
            case .endOfStream, .failed:
                failBody(of: exchange, with: HTTPError.badRequest("the client closed the connection before the request body ended"))
            }
        case .closed:
            io.wantRead(false)
        }
    }

    /// Reads once (heads are small; a drained body is read in larger bites) and processes.
    private func readAndService(wanted: Int) {
        switch io.read(wanted: wanted) {
        case .bytes: serviceInput()
        case .wouldBlock: return
        case .endOfStream, .failed: io.teardown()
        }
    }

    /// After the socket accepted more bytes: resume a waiting writer below the low-water
    /// mark, or continue paused pipelined requests.
    func outputProgressed() {
        loop.assertOnQueue()
        let lowWater = context.configuration.outputLowWaterMark
        guard io.output.count <= lowWater else { return }
        switch state.phase {
        case .exchange:
            if let exchange, let waiter = exchange.writeWaiter {
                exchange.writeWaiter = nil
                waiter.resume()
            }
        case .awaitingHead:
            if pipelinePaused {
                pipelinePaused = false
                serviceInput()
            }
        case .draining, .closed:
            break
        }
    }

    /// Graceful shutdown: an idle connection closes now, a busy one after its response.
    func beginShutdown() {
        loop.assertOnQueue()
        if state.beginShutdown(hasBufferedInput: !io.input.isEmpty || scanner.hasStarted) { io.teardown() }
    }

    /// The sweep: applies whichever HTTP/1.1 timeout has expired.
    func checkTimeouts(now: UInt64) {
        loop.assertOnQueue()
        let config = context.configuration
        switch state.checkTimeouts(now: now) {
        case .none:
            break
        case .closeIdle, .drainTimedOut:
            io.teardown()
        case .headTimedOut:
            respondWithError(HTTPError(.requestTimeout, detail: "the request head did not arrive within \(config.headerTimeout)"), head: nil)
        case .bodyTimedOut:
            if let exchange {
                failBody(of: exchange, with: HTTPError(.requestTimeout, detail: "no request body bytes arrived for \(config.bodyIdleTimeout)"))
            }
        }
    }

    /// Fails whatever the handler waits for; the socket is gone.
    func connectionClosed() {
        state.closed()
        if let exchange {
            exchange.bodyWaiter?.resume(throwing: ConnectionClosedError())
            exchange.bodyWaiter = nil
            exchange.writeWaiter?.resume(throwing: ConnectionClosedError())
            exchange.writeWaiter = nil
            if exchange.response == .started { exchange.response = .aborted }
        }
        endExchange()
    }

    /// Sends what is queued, then closes (the protocol side is done; the teardown that
    /// follows reports the output peak).
    func close() {
        state.closed()
        io.closeAfterFlush()
    }
}

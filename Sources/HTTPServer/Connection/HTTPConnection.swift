#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Logging
import SluiceLocks

/// One client connection: its socket, read/write Dispatch sources, buffers, and the state
/// machine of the HTTP/1.1 exchanges on it (or, once switched, its `HTTP2Session`).
/// Everything here runs on the connection's `loop.queue`; handler tasks reach it only by
/// hopping onto that queue.
///
/// The read source is resumed only while input is wanted (a next request head, a body
/// chunk a handler asked for, a body being drained, a lingering close); the write source
/// is created and resumed only when a write would block. The descriptor is closed in the
/// last source's cancel handler.
///
/// The request cycle is in `+Requests`, async handler operations in `+Exchange`, sending
/// and closing in `+Output`, the switch to HTTP/2 in `+HTTP2`.
final class HTTPConnection: @unchecked Sendable {
    // `@unchecked Sendable` guard: every `var` is touched only on `loop.queue` (asserted at `readable`, `writable`, `checkTimeouts`, `beginShutdown`).
    enum Phase {
        /// Waiting for (or parsing) the next request head.
        case awaitingHead
        /// An async handler owns the request.
        case exchange(Exchange)
        /// Reading and discarding a request body nobody read, before the next request.
        case draining
        /// The connection speaks HTTP/2: the session owns input and output.
        case http2(HTTP2Session)
        /// Sending the last bytes before closing.
        case closing
        /// Write side shut down; discarding input until the client closes (so that our last
        /// response is not destroyed by a reset).
        case lingering
        case closed
    }

    let fd: Int32
    let loop: IOLoop
    let context: ServerContext
    let remoteAddress: String
    let input: InputBuffer
    var output = OutputQueue()
    var scanner: RequestHeadScanner
    var phase = Phase.awaitingHead
    /// The body of the request being served.
    var body = RequestBodyDecoder.empty
    var drainedBytes = 0
    var requestsServed = 0
    /// The current response ends the connection.
    var closeAfterResponse = false
    var shuttingDown = false
    /// Pipelined requests wait while this many response bytes are still unsent.
    var pipelinePaused = false

    /// Coarse timestamps (loop clock) for the timeouts.
    var phaseSince: UInt64
    var headStartedAt: UInt64 = 0
    var lastWriteProgress: UInt64 = 0
    var writeBlocked = false
    var reportedPeakOutput = 0

    private let readSource: any DispatchSourceRead
    private var readActive = false
    private var writeSource: (any DispatchSourceWrite)?
    private var writeActive = false
    private var openSources = 1

    init(fd: Int32, remoteAddress: String, loop: IOLoop, context: ServerContext) {
        self.fd = fd
        self.loop = loop
        self.context = context
        self.remoteAddress = remoteAddress
        input = InputBuffer()
        scanner = RequestHeadScanner(limits: context.headLimits)
        phaseSince = loop.now
        readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: loop.queue)
    }

    /// Registers with the loop and starts reading. Called on `loop.queue`.
    func start() {
        loop.assertOnQueue()
        loop.register(self)
        // Weak: an event after teardown finds nothing to call; the cancel handlers own the close.
        readSource.setEventHandler { [weak self] in self?.readable() }
        readSource.setCancelHandler { [self] in self.sourceCancelled() }
        wantRead(true)
    }

    func wantRead(_ wanted: Bool) {
        if wanted, !readActive {
            readActive = true
            readSource.resume()
        } else if !wanted, readActive {
            readActive = false
            readSource.suspend()
        }
    }

    func wantWrite(_ wanted: Bool) {
        if wanted, !writeActive {
            if writeSource == nil {
                let source = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: loop.queue)
                source.setEventHandler { [weak self] in self?.writable() }
                source.setCancelHandler { [self] in self.sourceCancelled() }
                writeSource = source
                openSources += 1
            }
            writeActive = true
            writeSource!.resume()
        } else if !wanted, writeActive {
            writeActive = false
            writeSource!.suspend()
        }
    }

    private func sourceCancelled() {
        openSources -= 1
        if openSources == 0 { close(fd) }
    }

    private func readable() {
        loop.assertOnQueue()
        switch phase {
        case .awaitingHead:
            readAndService(wanted: 4096)
        case .draining:
            readAndService(wanted: 65536)
        case .exchange(let exchange):
            guard exchange.bodyWaiter != nil else { return wantRead(false) }
            switch input.read(from: fd, wanted: context.configuration.requestBodyChunkSize, maxCapacity: context.maxInputCapacity) {
            case .bytes: deliverBody(to: exchange)
            case .wouldBlock: return
            case .endOfStream, .failed:
                failBody(of: exchange, with: HTTPError.badRequest("the client closed the connection before the request body ended"))
            }
        case .http2(let session):
            session.readable()
        case .lingering:
            switch input.read(from: fd, wanted: 65536, maxCapacity: 65536) {
            case .bytes: input.clear()
            case .wouldBlock: return
            case .endOfStream, .failed: teardown()
            }
        case .closing, .closed:
            wantRead(false)
        }
    }

    /// Reads once (heads are small; a drained body is read in larger bites) and processes.
    private func readAndService(wanted: Int) {
        switch input.read(from: fd, wanted: wanted, maxCapacity: context.maxInputCapacity) {
        case .bytes: serviceInput()
        case .wouldBlock: return
        case .endOfStream, .failed: teardown()
        }
    }

    private func writable() {
        loop.assertOnQueue()
        let before = output.count
        flushOutput()
        if output.count < before { lastWriteProgress = loop.now }
        outputProgressed()
    }

    /// Closes the connection now: fails whatever a handler waits for, cancels the sources
    /// (resuming suspended ones first, as Dispatch requires) and unregisters.
    func teardown() {
        if case .closed = phase { return }
        if case .http2(let session) = phase { session.finish() }
        if case .exchange(let exchange) = phase {
            exchange.bodyWaiter?.resume(throwing: ConnectionClosedError())
            exchange.bodyWaiter = nil
            exchange.writeWaiter?.resume(throwing: ConnectionClosedError())
            exchange.writeWaiter = nil
            if exchange.response == .started { exchange.response = .aborted }
        }
        phase = .closed
        reportStatistics(closing: true)
        output.removeAll()
        input.clear()
        if !readActive { readSource.resume() }
        readActive = true
        readSource.cancel()
        if let writeSource {
            if !writeActive { writeSource.resume() }
            writeActive = true
            writeSource.cancel()
        }
        loop.unregister(self)
    }

    /// Graceful shutdown: an idle connection closes now, a busy one after its response.
    func beginShutdown() {
        loop.assertOnQueue()
        shuttingDown = true
        closeAfterResponse = true
        if case .http2(let session) = phase { return session.beginShutdown() }
        if case .awaitingHead = phase, input.isEmpty, !scanner.hasStarted { teardown() }
    }

    func reportStatistics(closing: Bool) {
        let peak = output.peakCount
        guard closing || peak > reportedPeakOutput else { return }
        reportedPeakOutput = peak
        context.statistics.withLock { stats in
            stats.peakBufferedOutputBytes = max(stats.peakBufferedOutputBytes, peak)
            if closing { stats.openConnections -= 1 }
        }
    }

    /// Called by the loop's sweep with its clock: expires whichever timeout the phase has.
    func checkTimeouts(now: UInt64) {
        loop.assertOnQueue()
        let config = context.configuration
        if writeBlocked, now &- lastWriteProgress > config.sendIdleTimeout.nanoseconds {
            context.logger.debug("send idle timeout", metadata: ["remote": "\(remoteAddress)"])
            return teardown()
        }
        switch phase {
        case .awaitingHead:
            if headStartedAt != 0 {
                if now &- headStartedAt > config.headerTimeout.nanoseconds {
                    respondWithError(HTTPError(.requestTimeout, detail: "the request head did not arrive within \(config.headerTimeout)"), head: nil)
                    flushOutput()
                }
            } else if now &- phaseSince > (requestsServed == 0 ? config.headerTimeout : config.keepAliveTimeout).nanoseconds {
                teardown()
            }
        case .exchange(let exchange):
            if exchange.bodyWaiter != nil, now &- exchange.bodyWaitingSince > config.bodyIdleTimeout.nanoseconds {
                failBody(of: exchange, with: HTTPError(.requestTimeout, detail: "no request body bytes arrived for \(config.bodyIdleTimeout)"))
            }
        case .draining:
            if now &- phaseSince > config.bodyIdleTimeout.nanoseconds { teardown() }
        case .http2(let session):
            session.checkTimeouts(now: now)
        case .lingering:
            if now &- phaseSince > context.lingerTimeout { teardown() }
        case .closing, .closed:
            break
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Logging
import SluiceLocks

/// The socket side of one client connection, shared by HTTP/1.1 and HTTP/2: the descriptor,
/// its read and write Dispatch sources, the input buffer, the output queue and its flush,
/// and the orderly close (send the rest, shut down the write side, linger, close). It knows
/// nothing of HTTP: a `ConnectionHandler` gets the events, and switching protocols is
/// replacing the handler.
///
/// The read source is resumed only while the handler wants input; the write source is
/// created and resumed only when a write would block. The descriptor is closed in the last
/// source's cancel handler, so no event handler can run on a reused descriptor.
///
/// Everything here runs on `loop.queue` (asserted at the entry points).
final class ConnectionIO: @unchecked Sendable {
    // `@unchecked Sendable` guard: every `var` is touched only on `loop.queue` (asserted in `readable`, `writable`, `checkTimeouts`, `start`).
    enum State: Equatable {
        case open
        /// Sending the last bytes before shutting down the write side.
        case closing
        /// Write side shut down; discarding input until the client closes, so that a reset
        /// does not destroy the last response before the client read it.
        case lingering(since: UInt64)
        case closed
    }

    let fd: Int32
    let loop: IOLoop
    let remoteAddress: String
    let context: ServerContext
    /// A connection refused at the connection limit (counted apart from served ones).
    let refusing: Bool
    let input = InputBuffer()
    var output = OutputQueue()
    private(set) var state = State.open
    /// Whether the last flush left bytes the socket would not take.
    private(set) var writeBlocked = false
    private var lastWriteProgress: UInt64 = 0
    private var reportedPeakOutput = 0
    /// Receives the events while open; released at teardown (it holds this object too).
    var handler: (any ConnectionHandler)?

    private let readSource: any DispatchSourceRead
    private var readActive = false
    private var writeSource: (any DispatchSourceWrite)?
    private var writeActive = false
    private var openSources = 1

    init(fd: Int32, remoteAddress: String, loop: IOLoop, context: ServerContext, refusing: Bool = false) {
        self.fd = fd
        self.loop = loop
        self.remoteAddress = remoteAddress
        self.context = context
        self.refusing = refusing
        readSource = DispatchSource.makeReadSource(fileDescriptor: fd, queue: loop.queue)
    }

    var isOpen: Bool { state == .open }
    var isClosed: Bool { state == .closed }

    /// Registers with the loop, hands events to `handler` and starts reading.
    func start(handler: (any ConnectionHandler)?) {
        loop.assertOnQueue()
        self.handler = handler
        loop.register(self)
        // Weak: an event after teardown finds nothing to call; the cancel handlers own the close.
        readSource.setEventHandler { [weak self] in self?.readable() }
        readSource.setCancelHandler { [self] in self.sourceCancelled() }
        wantRead(true)
    }

    // MARK: Input

    func wantRead(_ wanted: Bool) {
        guard state != .closed else { return }
        if wanted, !readActive {
            readActive = true
            readSource.resume()
            // Look once now: Dispatch does not fire again for a socket whose last event came
            // while reading was off or before the source existed (a client that sent its
            // request and reset at once), and the connection would wait for its timeout.
            loop.queue.async { [weak self] in
                guard let self, self.readActive, self.state != .closed else { return }
                self.readable()
            }
        } else if !wanted, readActive {
            readActive = false
            readSource.suspend()
        }
    }

    /// Reads once into the input buffer (at most `wanted` bytes).
    func read(wanted: Int) -> InputBuffer.ReadOutcome {
        input.read(from: fd, wanted: wanted, maxCapacity: context.maxInputCapacity)
    }

    private func readable() {
        loop.assertOnQueue()
        switch state {
        case .open:
            handler?.readable()
        case .lingering:
            switch input.read(from: fd, wanted: 65536, maxCapacity: 65536) {
            case .bytes: input.clear()
            case .wouldBlock: return
            case .endOfStream, .failed: teardown()
            }
        case .closing:
            wantRead(false)
        case .closed:
            // The sources are cancelled (and were resumed for it): never suspend one again.
            return
        }
    }

    // MARK: Output

    /// Writes what the output queue holds; arms the write source when the socket is full.
    func flush() {
        guard !output.isEmpty else { return }
        switch output.flush(to: fd) {
        case .flushed:
            writeBlocked = false
            wantWrite(false)
        case .wouldBlock:
            if !writeBlocked {
                writeBlocked = true
                lastWriteProgress = loop.now
            }
            wantWrite(true)
        case .failed:
            teardown()
        }
    }

    private func wantWrite(_ wanted: Bool) {
        guard state != .closed else { return }
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

    private func writable() {
        loop.assertOnQueue()
        let before = output.count
        flush()
        if output.count < before { lastWriteProgress = loop.now }
        switch state {
        case .open: handler?.outputProgressed()
        case .closing: if output.isEmpty { beginLingering() }
        case .lingering, .closed: break
        }
    }

    /// Adds the output queue's high-water mark so far to the server's statistics.
    func reportPeakOutput() {
        let peak = output.peakCount
        guard peak > reportedPeakOutput else { return }
        reportedPeakOutput = peak
        context.statistics.withLock { $0.peakBufferedOutputBytes = max($0.peakBufferedOutputBytes, peak) }
    }

    // MARK: Closing

    /// Sends what is queued, then shuts down the write side and lingers. The handler gets no
    /// more events except `connectionClosed()`.
    func closeAfterFlush() {
        guard state == .open else { return }
        state = .closing
        wantRead(false)
        flush()
        if state == .closing, output.isEmpty { beginLingering() }
    }

    private func beginLingering() {
        shutdown(fd, Int32(SHUT_WR))
        state = .lingering(since: loop.now)
        input.clear()
        wantRead(true)
    }

    /// Closes now: tells the handler, cancels the sources (resuming suspended ones first, as
    /// Dispatch requires) and unregisters. Idempotent.
    func teardown() {
        guard state != .closed else { return }
        state = .closed
        let handler = self.handler
        self.handler = nil
        handler?.connectionClosed()
        reportPeakOutput()
        context.statistics.withLock { s in
            if refusing { s.refusingConnections -= 1 } else { s.openConnections -= 1 }
        }
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

    private func sourceCancelled() {
        openSources -= 1
        if openSources == 0 { close(fd) }
    }

    // MARK: Loop events

    /// The sweep: a send that made no progress for the send idle timeout, or a linger past
    /// its time, closes; otherwise the handler checks its own timeouts.
    func checkTimeouts(now: UInt64) {
        loop.assertOnQueue()
        if writeBlocked, now &- lastWriteProgress > context.configuration.sendIdleTimeout.nanoseconds {
            context.logger.debug("send idle timeout", metadata: ["remote": "\(remoteAddress)"])
            return teardown()
        }
        switch state {
        case .open: handler?.checkTimeouts(now: now)
        case .lingering(let since): if now &- since > context.lingerTimeout { teardown() }
        case .closing, .closed: break
        }
    }

    func beginShutdown() {
        loop.assertOnQueue()
        if state == .open { handler?.beginShutdown() }
    }
}

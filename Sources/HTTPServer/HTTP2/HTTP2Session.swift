import CNghttp2
import Dispatch
import Logging
import SluiceLocks

/// The HTTP/2 side of a connection that switched protocols: an nghttp2 server session fed
/// from `ConnectionIO`'s input buffer and drained into its output queue, on the
/// connection's I/O queue (all nghttp2 calls and callbacks run there). It uses the
/// connection's socket only through `ConnectionIO`, as HTTP/1.1 does.
///
/// Output is generated (`nghttp2_session_mem_send`) only while the connection's output
/// queue is below the high-water mark; response bytes wait per stream in `PendingBytes`,
/// and writers suspend past the per-stream or per-connection bound until the data provider
/// has framed enough of them (the same contract as HTTP/1.1's `write`).
///
/// Requests are in `+Requests`, the response side in `+Responses`, nghttp2 callbacks in
/// `HTTP2Callbacks`.
final class HTTP2Session: ConnectionHandler, @unchecked Sendable {
    // `@unchecked Sendable` guard: the nghttp2 session and every `var` are touched only on the connection's queue (asserted at the entry points).
    let io: ConnectionIO
    let context: ServerContext
    let queue: DispatchQueue
    let configuration: HTTP2Configuration
    private(set) var session: OpaquePointer?
    var streams: [Int32: HTTP2Stream] = [:]
    /// Streams whose writer waits for room.
    var waitingWriters: [HTTP2Stream] = []
    /// Unframed response bytes over all streams.
    var pendingBytes = 0
    private var peakBuffered = 0
    var resets: ResetRateLimiter
    private var readingPaused = false
    var lastActivity: UInt64
    var shuttingDown = false

    init(io: ConnectionIO) {
        self.io = io
        context = io.context
        queue = io.loop.queue
        configuration = io.context.configuration.http2
        resets = ResetRateLimiter(limit: configuration.maxResetsPerInterval, interval: configuration.resetInterval)
        lastActivity = io.loop.now
    }

    /// Creates the nghttp2 session and queues the server's SETTINGS. With `upgrade` (the
    /// decoded HTTP2-Settings of an `Upgrade: h2c` request), stream 1 is that request.
    func start(upgrade: (settings: [UInt8], isHead: Bool)? = nil) -> Bool {
        var callbacks: OpaquePointer?
        var options: OpaquePointer?
        guard nghttp2_session_callbacks_new(&callbacks) == 0, nghttp2_option_new(&options) == 0 else { return false }
        defer {
            nghttp2_session_callbacks_del(callbacks)
            nghttp2_option_del(options)
        }
        HTTP2Callbacks.install(on: callbacks)
        nghttp2_option_set_no_auto_window_update(options, 1)
        nghttp2_option_set_max_settings(options, 64)
        let user = Unmanaged.passUnretained(self).toOpaque()
        guard nghttp2_session_server_new2(&session, callbacks, user, options) == 0 else { return false }
        if let upgrade {
            let rc = upgrade.settings.withUnsafeBufferPointer { payload in
                nghttp2_session_upgrade2(session, payload.baseAddress, payload.count, upgrade.isHead ? 1 : 0, nil)
            }
            guard rc == 0 else { return false }
        }
        var settings = [
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS.rawValue), value: configuration.maxConcurrentStreams),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE.rawValue), value: configuration.maxHeaderListSize),
            nghttp2_settings_entry(settings_id: Int32(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE.rawValue), value: UInt32(configuration.streamWindowSize)),
        ]
        guard nghttp2_submit_settings(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), &settings, settings.count) == 0 else { return false }
        nghttp2_session_set_local_window_size(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), 0, configuration.connectionWindowSize)
        return true
    }

    var isClosed: Bool { session == nil }

    // MARK: Input

    /// The read source fired: read once, feed nghttp2, send what it produced.
    func readable() {
        io.loop.assertOnQueue()
        switch io.read(wanted: 65536) {
        case .bytes:
            lastActivity = io.loop.now
            receiveBuffered()
            send()
        case .wouldBlock:
            return
        case .endOfStream, .failed:
            io.teardown()
        }
    }

    /// Hands everything the input buffer holds to nghttp2 (its callbacks run in here).
    func receiveBuffered() {
        io.loop.assertOnQueue()
        let input = io.input
        guard let session, !input.isEmpty else { return }
        let raw = input.readable
        let n = nghttp2_session_mem_recv(session, raw.baseAddress!.assumingMemoryBound(to: UInt8.self), raw.count)
        if n < 0 {
            context.logger.debug("HTTP/2 protocol error", metadata: ["remote": "\(io.remoteAddress)", "error": "\(String(cString: nghttp2_strerror(Int32(n))))"])
            input.clear()
            nghttp2_session_terminate_session(session, UInt32(NGHTTP2_PROTOCOL_ERROR.rawValue))
            return
        }
        input.consume(n)
    }

    // MARK: Output

    /// Frames what nghttp2 has to send into the output queue while it has room, writes it,
    /// wakes writers that have room again, and closes once nghttp2 is done.
    func send() {
        io.loop.assertOnQueue()
        guard let session else { return }
        let highWater = context.configuration.outputHighWaterMark
        while io.output.count < highWater {
            var batch: [UInt8] = []
            while io.output.count + batch.count < highWater {
                var data: UnsafePointer<UInt8>?
                let n = nghttp2_session_mem_send(session, &data)
                if n < 0 {
                    context.logger.debug("HTTP/2 send failed", metadata: ["error": "\(String(cString: nghttp2_strerror(Int32(n))))"])
                    return io.teardown()
                }
                if n == 0 { break }
                if batch.isEmpty { batch.reserveCapacity(max(n, 16 * 1024)) }
                batch.append(contentsOf: UnsafeBufferPointer(start: data, count: n))
            }
            if batch.isEmpty { break }
            io.output.append(batch)
            recordBuffered()
            io.flush()
            if isClosed || io.writeBlocked { break }
        }
        guard !isClosed else { return }
        resumeWritersWithRoom()
        // A client that sends without reading what we answer: stop reading until it does.
        let paused = io.output.count > 4 * highWater
        if paused != readingPaused {
            readingPaused = paused
            io.wantRead(!paused)
        }
        if nghttp2_session_want_read(session) == 0, nghttp2_session_want_write(session) == 0 {
            finish()
            io.closeAfterFlush()
        }
    }

    /// The socket took more bytes: generate more.
    func outputProgressed() {
        send()
    }

    private func recordBuffered() {
        let buffered = io.output.count + pendingBytes
        guard buffered > peakBuffered else { return }
        peakBuffered = buffered
        context.statistics.withLock { $0.peakBufferedOutputBytes = max($0.peakBufferedOutputBytes, buffered) }
    }

    /// Whether a writer of `stream` must wait: its own backlog or the connection's is full.
    func mustWait(_ stream: HTTP2Stream) -> Bool {
        recordBuffered()
        return stream.pending.count > context.configuration.outputHighWaterMark || pendingBytes > configuration.maxBufferedResponseBytes
    }

    private func resumeWritersWithRoom() {
        guard !waitingWriters.isEmpty, pendingBytes <= configuration.maxBufferedResponseBytes / 2 else { return }
        let lowWater = context.configuration.outputLowWaterMark
        waitingWriters.removeAll { stream in
            guard stream.pending.count <= lowWater else { return false }
            if let waiter = stream.writeWaiter {
                stream.writeWaiter = nil
                waiter.resume()
            }
            return true
        }
    }

    // MARK: Lifecycle

    /// Graceful shutdown: GOAWAY with the last stream processed; in-flight streams finish,
    /// then the connection closes.
    func beginShutdown() {
        io.loop.assertOnQueue()
        guard let session, !shuttingDown else { return }
        shuttingDown = true
        nghttp2_submit_goaway(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), nghttp2_session_get_last_proc_stream_id(session),
                              UInt32(NGHTTP2_NO_ERROR.rawValue), nil, 0)
        send()
    }

    /// The sweep: fails body pulls that waited too long, and closes a connection idle for
    /// the keep-alive timeout (GOAWAY first).
    func checkTimeouts(now: UInt64) {
        io.loop.assertOnQueue()
        expireBodyWaits(now: now)
        send()
        if streams.isEmpty, !shuttingDown, now &- lastActivity > context.configuration.keepAliveTimeout.nanoseconds {
            beginShutdown()
        }
    }

    func connectionClosed() {
        finish()
    }

    /// The connection is going away: every stream's handler sees `ConnectionClosedError`,
    /// and the nghttp2 session is freed. Idempotent.
    func finish() {
        guard let session else { return }
        self.session = nil
        for stream in streams.values {
            stream.closed = true
            releaseBodySlot(of: stream)
            stream.failWaiters(ConnectionClosedError())
        }
        streams.removeAll()
        waitingWriters.removeAll()
        nghttp2_session_del(session)
    }
}

import Dispatch
/// One HTTP/2 request/response: the request as its HEADERS and DATA arrive, the body
/// bytes waiting for the handler's pulls, and the response bytes waiting for nghttp2's data
/// provider. It is the handler's `RequestBodySource` and its writer's `ResponseTransport`:
/// those entry points hop onto the connection's I/O queue, where every `var` here lives.
final class HTTP2Stream: RequestBodySource, ResponseTransport, @unchecked Sendable {
    // `@unchecked Sendable` guard: every `var` is touched only on the connection's queue; the handler's calls hop there.
    let id: Int32
    let session: HTTP2Session

    // MARK: Request
    var method: String?
    var path: String?
    var authority: String?
    var headers = HTTPHeaders()
    /// Bytes of the header list (RFC 9113 §6.5.2 accounting) and fields, against the limits.
    var headerListSize = 0
    var headersTooLarge = false
    /// The request head was complete and routed; later header fields are trailers.
    var requestStarted = false
    var bodyTrailers = HTTPHeaders()
    /// END_STREAM arrived from the client.
    var requestEnded = false
    var bodyLimit = BodyLimit(.max)
    var bodyReceived = 0
    /// Received body bytes not yet pulled; their flow-control credit is returned
    /// (`nghttp2_session_consume`) only as the handler pulls them.
    var bodyChunks: [[UInt8]] = []
    var bodyBuffered = 0
    var bodyWaiter: CheckedContinuation<[UInt8]?, any Error>?
    var bodyWaitingSince: UInt64 = 0
    var bodyError: (any Error)?

    // MARK: Response
    var isHeadRequest = false
    var startedAt: UInt64 = 0
    var response = Exchange.ResponseState.notStarted
    var status = 0
    var bodyBytesSent = 0
    /// Took one of the server's `maxConcurrentBodies` slots (released when the stream closes).
    var holdsBodySlot = false
    var pending = PendingBytes()
    /// The handler sent the body's end: once `pending` is framed, the stream ends.
    var bodyEnded = false
    var trailers = HTTPHeaders()
    /// The response has a data provider (a body follows the HEADERS frame).
    var hasDataProvider = false
    /// The data provider answered NGHTTP2_ERR_DEFERRED and waits for `resume_data`.
    var deferred = false
    var writeWaiter: CheckedContinuation<Void, any Error>?
    /// The handler is done (sync handlers at once): unread body bytes are discarded.
    var handlerDone = false
    /// nghttp2 closed the stream (finished, or reset by either side).
    var closed = false

    init(id: Int32, session: HTTP2Session) {
        self.id = id
        self.session = session
    }

    var framesBody: Bool { true }

    // MARK: Handler-side entry points (any task)

    func nextBodyChunk() async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { continuation in
            session.queue.async { self.session.bodyChunkRequested(self, continuation) }
        }
    }

    func sendHead(status: HTTPStatus, headers: HTTPHeaders, framing: ResponseFraming,
                  body: [[UInt8]], finished: Bool) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            session.queue.async {
                self.session.responseStarted(self, status: status, headers: headers, framing: framing,
                                             body: body, finished: finished, continuation)
            }
        }
    }

    func sendBody(_ segments: [[UInt8]], finished: Bool, trailers: HTTPHeaders) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            session.queue.async { self.session.responseWrote(self, segments, finished: finished, trailers: trailers, continuation) }
        }
    }

    func abortResponse() {
        session.queue.async { self.session.responseAborted(self) }
    }

    // MARK: Queue-side helpers

    /// Fails whatever the handler waits for (the stream or connection is gone).
    func failWaiters(_ error: any Error) {
        if let waiter = bodyWaiter {
            bodyWaiter = nil
            waiter.resume(throwing: error)
        }
        if let waiter = writeWaiter {
            writeWaiter = nil
            waiter.resume(throwing: error)
        }
    }

    /// The request as the engine's handlers see it; nil when a pseudo-header is missing.
    func requestHead() -> RequestHead? {
        guard let method, let path, !path.isEmpty else { return nil }
        var headers = self.headers
        if let authority, !headers.contains("Host") { headers.add("Host", authority) }
        let framing: BodyFraming
        if requestEnded {
            framing = .none
        } else if let value = headers["Content-Length"], let length = try? RequestHeadParser.parseContentLength(value) {
            framing = .length(length)
        } else {
            framing = .chunked
        }
        return RequestHead(method: HTTPMethod(method), target: path, version: .http2, headers: headers,
                           framing: framing, keepAlive: true, expectsContinue: false)
    }
}

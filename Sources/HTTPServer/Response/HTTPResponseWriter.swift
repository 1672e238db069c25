/// Sends the response of an async handler: either all at once with `send`, or streamed with
/// `start`, `write`… and `finish` (or `abort`).
///
/// `write` suspends while the connection holds more than the high-water mark of unsent
/// bytes and resumes once the socket drained it to the low-water mark, so a producer never
/// runs ahead of a slow client; it throws `ConnectionClosedError` once the client is gone.
/// A streamed body is chunked (HTTP/1.1) unless `Content-Length` is given; over HTTP/2 it
/// goes out in DATA frames and trailers as a trailing HEADERS frame. Compression
/// (when `compressible` and the client accepts gzip) happens here, in the handler's task,
/// with a sync flush per write so each write reaches the client promptly.
///
/// Use from one task at a time.
public final class HTTPResponseWriter: @unchecked Sendable {
    // `@unchecked Sendable` guard: used by one task at a time (the handler's); the transport it calls hops to the I/O queue.
    private let transport: any ResponseTransport
    private let requestHeaders: HTTPHeaders
    private let version: HTTPVersion
    private let compressionLevel: Int32
    private var framing = ResponseFraming.none
    private var compressor: GzipCompressor?
    private var remainingLength = 0
    private var state = Exchange.ResponseState.notStarted

    init(transport: any ResponseTransport, requestHeaders: HTTPHeaders, version: HTTPVersion, compressionLevel: Int32) {
        self.transport = transport
        self.requestHeaders = requestHeaders
        self.version = version
        self.compressionLevel = compressionLevel
    }

    /// True once a response (head) has been sent.
    public var isStarted: Bool { state != .notStarted }

    /// Sends a complete response: head and body together, with `Content-Length`.
    public func send(_ response: HTTPResponse) async throws {
        try requireNotStarted()
        try ResponseHeadEncoder.validate(response.headers)
        var response = response
        var headers = response.headers
        if response.compressible {
            headers.add("Vary", "Accept-Encoding")
            let accept = AcceptEncoding(requestHeaders)
            if accept.allowsGzip, response.status.allowsBody, !headers.contains("Content-Encoding"), response.body.count >= 512 || accept.refusesIdentity {
                response.body = try GzipCompressor.gzip(response.body, level: compressionLevel)
                headers["Content-Encoding"] = "gzip"
            }
        }
        let body = response.body
        let framing: ResponseFraming = response.status.allowsBody ? .length(body.count) : .none
        state = .finished
        try await transport.sendHead(status: response.status, headers: headers, framing: framing,
                                     body: framing == .none ? [] : [body], finished: true)
    }

    /// Starts a streamed response. With a `Content-Length` header (and no compression) the
    /// body is sent as is and must have exactly that length; otherwise it is chunked.
    public func start(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), compressible: Bool = false) async throws {
        try requireNotStarted()
        try ResponseHeadEncoder.validate(headers)
        var headers = headers
        if compressible {
            headers.add("Vary", "Accept-Encoding")
            if status.allowsBody, !headers.contains("Content-Encoding"), AcceptEncoding(requestHeaders).allowsGzip {
                compressor = try GzipCompressor(level: compressionLevel)
                headers.remove("Content-Length")
                headers["Content-Encoding"] = "gzip"
            }
        }
        if !status.allowsBody {
            framing = .none
        } else if let value = headers["Content-Length"], let length = try? RequestHeadParser.parseContentLength(value) {
            framing = .length(length)
            remainingLength = length
        } else {
            // HTTP/2 frames the body itself: like an HTTP/1.0 body, it is sent as is.
            framing = version == .http1_1 && !transport.framesBody ? .chunked : .untilClose
        }
        state = .started
        let framing = self.framing
        try await transport.sendHead(status: status, headers: headers, framing: framing, body: [], finished: false)
    }

    /// Sends a piece of the body; suspends while the client is behind (see the type's doc).
    public func write(_ bytes: [UInt8]) async throws {
        guard state == .started else { throw ResponseStateError(operation: "write", state: state) }
        guard !bytes.isEmpty, framing != .none else { return }
        var data = bytes
        if let compressor {
            data = compressor.compress(bytes, flush: true)
            if data.isEmpty { return }
        }
        try await send(segments(for: data), finished: false)
    }

    public func write(_ text: String) async throws { try await write(Array(text.utf8)) }

    /// Ends a streamed body: the last chunk with `trailers` (chunked only).
    public func finish(trailers: HTTPHeaders = HTTPHeaders()) async throws {
        guard state == .started else { throw ResponseStateError(operation: "finish", state: state) }
        var segments: [[UInt8]] = []
        if let compressor, framing != .none {
            let tail = compressor.finish()
            if !tail.isEmpty { segments += try self.segments(for: tail) }
        }
        switch framing {
        case .chunked:
            segments.append(try ChunkedEncoder.lastChunk(trailers: trailers))
        case .length where remainingLength > 0 && !transport.isHeadRequest:
            abort()
            throw ResponseStateError(operation: "finish (\(remainingLength) bytes short of Content-Length)", state: state)
        default:
            break
        }
        try await send(segments, finished: true, trailers: trailers)
    }

    /// Ends the response abnormally: no last chunk, the connection closes, and the client
    /// sees an incomplete body. Safe to call in any state.
    public func abort() {
        guard state != .aborted else { return }
        state = .aborted
        transport.abortResponse()
    }

    /// Called by the engine after the handler returned: finishes a started response.
    func finishIfStarted() async throws {
        if state == .started { try await finish() }
    }

    private func segments(for data: [UInt8]) throws -> [[UInt8]] {
        switch framing {
        case .chunked:
            return ChunkedEncoder.frame(data)
        case .length:
            guard data.count <= remainingLength else {
                abort()
                throw ResponseStateError(operation: "write beyond Content-Length", state: state)
            }
            remainingLength -= data.count
            return [data]
        case .untilClose:
            return [data]
        case .none:
            return []
        }
    }

    private func send(_ segments: [[UInt8]], finished: Bool, trailers: HTTPHeaders = HTTPHeaders()) async throws {
        if finished { state = .finished }
        try await transport.sendBody(segments, finished: finished, trailers: trailers)
    }

    private func requireNotStarted() throws {
        guard state == .notStarted else { throw ResponseStateError(operation: "start a response", state: state) }
    }
}

/// A writer call that does not fit the response's state (writing before `start`, after
/// `finish`, past `Content-Length`).
public struct ResponseStateError: Error, CustomStringConvertible, Sendable {
    public var operation: String
    var state: Exchange.ResponseState
    public var description: String { "cannot \(operation): the response is \(state)" }
}

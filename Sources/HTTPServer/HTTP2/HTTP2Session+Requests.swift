import CNghttp2
import Dispatch
import Logging

/// The request side: collecting a stream's head from nghttp2's callbacks, routing it to a
/// synchronous handler (answered at once) or a streaming one (a task per stream), and the
/// request body with manual flow control — credit goes back only as the handler pulls.
extension HTTP2Session {
    func beginStream(_ id: Int32) {
        streams[id] = HTTP2Stream(id: id, session: self)
    }

    func receivedHeader(stream id: Int32, name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        guard let stream = streams[id], !stream.headersTooLarge else { return }
        stream.headerListSize += name.count + value.count + 32
        if stream.headerListSize > Int(configuration.maxHeaderListSize) || stream.headers.count >= context.configuration.maxHeaderCount {
            stream.headersTooLarge = true
            return
        }
        let valueText = String(decoding: value, as: UTF8.self)
        if stream.requestStarted {
            stream.bodyTrailers.add(String(decoding: name, as: UTF8.self), valueText)
        } else if name.first == UInt8(ascii: ":") {
            switch name.count {
            case 5 where name[1] == UInt8(ascii: "p"): stream.path = valueText
            case 7 where name[1] == UInt8(ascii: "m"): stream.method = valueText
            case 10 where name[1] == UInt8(ascii: "a"): stream.authority = valueText
            default: break
            }
        } else {
            stream.headers.add(String(decoding: name, as: UTF8.self), valueText)
        }
    }

    /// A HEADERS frame ended: the request head (route it) or the trailers (body end).
    func receivedHeaders(stream id: Int32, endStream: Bool) {
        guard let stream = streams[id] else { return }
        if endStream { stream.requestEnded = true }
        if stream.requestStarted {
            if endStream { requestEnded(stream: id) }
            return
        }
        stream.requestStarted = true
        startRequest(on: stream)
    }

    /// The stream of an `Upgrade: h2c` request, already half-closed by nghttp2.
    func startUpgradedRequest(_ head: RequestHead) {
        let stream = HTTP2Stream(id: 1, session: self)
        streams[1] = stream
        stream.requestStarted = true
        stream.requestEnded = true
        route(head, on: stream)
    }

    private func startRequest(on stream: HTTP2Stream) {
        guard !stream.headersTooLarge else {
            return respondComplete(context.problem(HTTPError(.requestHeaderFieldsTooLarge, detail: "the request header list is larger than \(configuration.maxHeaderListSize) bytes")), on: stream, head: nil)
        }
        guard let head = stream.requestHead() else {
            return respondComplete(context.problem(.badRequest("the request lacks :method or :path")), on: stream, head: nil)
        }
        route(head, on: stream)
    }

    private func route(_ head: RequestHead, on stream: HTTP2Stream) {
        stream.startedAt = context.accessLog.startStamp()
        stream.isHeadRequest = head.method == .HEAD
        var request = HTTPRequest(head: head, remoteAddress: io.remoteAddress, body: .empty)
        var coding: BodyInflater.Coding?
        if head.framing.hasBody {
            do {
                coding = try BodyInflater.Coding.of(head.headers)
            } catch {
                return respondComplete(context.problemResponse(for: error, target: head.target), on: stream, head: head)
            }
        }
        switch context.route(method: head.method, path: request.path) {
        case .respond(let response):
            respondComplete(response, on: stream, head: head)
        case .handler(let handler, let parameters, let limit):
            if let tooLarge = context.declaredBodyTooLarge(head, limit: limit) {
                return respondComplete(context.problem(tooLarge), on: stream, head: head)
            }
            stream.bodyLimit = limit
            request.pathParameters = parameters
            switch handler {
            case .sync(let handler):
                respondComplete(context.respond(with: handler, to: request, target: head.target), on: stream, head: head)
            case .streaming(let handler):
                if !stream.requestEnded {
                    guard context.admitBody() else {
                        return respondComplete(context.tooManyBodiesResponse(), on: stream, head: head)
                    }
                    stream.holdsBodySlot = true
                }
                context.startHandler(handler, request: request, head: head, version: .http2, coding: coding, bodyLimit: limit,
                                     source: stream, transport: stream) { failure in
                    stream.session.queue.async { stream.session.handlerReturned(stream, head: head, failure) }
                }
            }
        }
    }

    // MARK: Request body

    func receivedBody(stream id: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        guard let session, let stream = streams[id] else { return }
        if stream.handlerDone || stream.bodyError != nil {
            // Nobody will read it: give the credit back at once.
            nghttp2_session_consume(session, id, bytes.count)
            return
        }
        stream.bodyReceived += bytes.count
        if stream.bodyReceived > stream.bodyLimit.bytes {
            nghttp2_session_consume(session, id, bytes.count)
            stream.bodyError = stream.bodyLimit.exceeded()
        } else {
            stream.bodyChunks.append(Array(bytes))
            stream.bodyBuffered += bytes.count
            stream.bodyWaitingSince = io.loop.now
        }
        deliverBody(to: stream)
    }

    func requestEnded(stream id: Int32) {
        guard let stream = streams[id] else { return }
        stream.requestEnded = true
        deliverBody(to: stream)
    }

    func bodyChunkRequested(_ stream: HTTP2Stream, _ continuation: CheckedContinuation<[UInt8]?, any Error>) {
        guard !stream.closed || stream.requestEnded, !isClosed else { return continuation.resume(throwing: ConnectionClosedError()) }
        stream.bodyWaiter = continuation
        stream.bodyWaitingSince = io.loop.now
        deliverBody(to: stream)
        send()
    }

    /// A pull that waited longer than the body idle timeout fails with 408 (the sweep).
    func expireBodyWaits(now: UInt64) {
        let timeout = context.configuration.bodyIdleTimeout
        for stream in streams.values where stream.bodyWaiter != nil && now &- stream.bodyWaitingSince > timeout.nanoseconds {
            stream.bodyError = HTTPError(.requestTimeout, detail: "no request body bytes arrived for \(timeout)")
            deliverBody(to: stream)
        }
    }

    /// Hands the waiting pull everything buffered (returning its flow-control credit), the
    /// end of the body, or its error.
    private func deliverBody(to stream: HTTP2Stream) {
        guard let waiter = stream.bodyWaiter else { return }
        if let error = stream.bodyError {
            stream.bodyWaiter = nil
            return waiter.resume(throwing: error)
        }
        if !stream.bodyChunks.isEmpty {
            let chunk = stream.bodyChunks.count == 1 ? stream.bodyChunks[0] : Array(stream.bodyChunks.joined())
            stream.bodyChunks.removeAll(keepingCapacity: true)
            stream.bodyBuffered = 0
            if let session { nghttp2_session_consume(session, stream.id, chunk.count) }
            stream.bodyWaiter = nil
            return waiter.resume(returning: chunk)
        }
        if stream.requestEnded {
            stream.bodyWaiter = nil
            waiter.resume(returning: nil)
        } else if stream.closed {
            stream.bodyWaiter = nil
            waiter.resume(throwing: ConnectionClosedError())
        }
    }

    /// Body bytes nobody will pull: their credit goes back so the connection window stays open.
    func discardBody(of stream: HTTP2Stream) {
        guard stream.bodyBuffered > 0 else { return }
        if let session { nghttp2_session_consume(session, stream.id, stream.bodyBuffered) }
        stream.bodyChunks.removeAll()
        stream.bodyBuffered = 0
    }

    // MARK: Resets and closes

    func receivedReset() {
        guard let session, resets.record(now: io.loop.now) else { return }
        context.logger.warning("HTTP/2 rapid reset: closing the connection", metadata: ["remote": "\(io.remoteAddress)"])
        nghttp2_session_terminate_session(session, UInt32(NGHTTP2_ENHANCE_YOUR_CALM.rawValue))
    }

    /// Gives back the stream's `maxConcurrentBodies` slot, if it took one.
    func releaseBodySlot(of stream: HTTP2Stream) {
        guard stream.holdsBodySlot else { return }
        stream.holdsBodySlot = false
        context.releaseBody()
    }

    func streamClosed(_ id: Int32, errorCode: UInt32) {
        guard let stream = streams.removeValue(forKey: id) else { return }
        stream.closed = true
        releaseBodySlot(of: stream)
        lastActivity = io.loop.now
        pendingBytes -= stream.pending.count
        stream.pending.removeAll()
        discardBody(of: stream)
        waitingWriters.removeAll { $0 === stream }
        stream.failWaiters(ConnectionClosedError())
    }
}

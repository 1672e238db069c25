import CNghttp2
import Logging

/// The response side: HEADERS through `nghttp2_submit_response`, the body through one
/// data provider that frames a stream's pending bytes, defers when there are none and is
/// resumed by the next write; trailers, aborts (RST_STREAM) and the writer's backpressure.
extension HTTP2Session {
    /// Answers a stream with a whole response (sync handlers and the engine's own answers).
    func respondComplete(_ response: HTTPResponse, on stream: HTTP2Stream, head: RequestHead?) {
        stream.handlerDone = true
        discardBody(of: stream)
        var response = response
        if response.compressible, let head { response.compressIfAccepted(requestHeaders: head.headers, configuration: context.configuration) }
        let allowsBody = response.status.allowsBody
        let sendsBody = allowsBody && !stream.isHeadRequest && !response.body.isEmpty
        if sendsBody {
            appendPending(response.body, to: stream)
        }
        stream.bodyEnded = true
        stream.response = .finished
        stream.status = response.status.code
        submitHead(of: stream, status: response.status.code, headers: response.headers,
                   contentLength: allowsBody ? response.body.count : nil, withBody: sendsBody)
        if let head {
            context.accessLog.record(head, status: stream.status,
                                     bytes: stream.bodyBytesSent, startedAt: stream.startedAt, remote: io.remoteAddress)
        }
    }

    func responseStarted(_ stream: HTTP2Stream, status: HTTPStatus, headers: HTTPHeaders, framing: ResponseFraming,
                         body: [[UInt8]], finished: Bool, _ continuation: CheckedContinuation<Void, any Error>) {
        guard !stream.closed, !isClosed, stream.response == .notStarted else {
            return continuation.resume(throwing: ConnectionClosedError())
        }
        stream.status = status.code
        stream.response = finished ? .finished : .started
        var contentLength: Int?
        if case .length(let n) = framing { contentLength = n }
        let hasBody = framing != .none && !stream.isHeadRequest && !(finished && body.allSatisfy(\.isEmpty))
        if hasBody {
            for segment in body { appendPending(segment, to: stream) }
        }
        stream.bodyEnded = finished
        submitHead(of: stream, status: status.code, headers: headers, contentLength: contentLength, withBody: hasBody)
        send()
        resumeOrWait(stream, continuation)
    }

    func responseWrote(_ stream: HTTP2Stream, _ segments: [[UInt8]], finished: Bool, trailers: HTTPHeaders,
                       _ continuation: CheckedContinuation<Void, any Error>) {
        guard stream.response == .started else { return continuation.resume(throwing: ConnectionClosedError()) }
        // A HEAD response ended with its HEADERS frame: the body writes are dropped.
        if stream.isHeadRequest {
            if finished { stream.response = .finished }
            return continuation.resume()
        }
        guard !stream.closed, !isClosed else { return continuation.resume(throwing: ConnectionClosedError()) }
        if stream.hasDataProvider {
            for segment in segments { appendPending(segment, to: stream) }
        }
        if finished {
            stream.response = .finished
            stream.bodyEnded = true
            stream.trailers = trailers
        }
        if stream.deferred, let session {
            stream.deferred = false
            nghttp2_session_resume_data(session, stream.id)
        }
        send()
        resumeOrWait(stream, continuation)
    }

    private func resumeOrWait(_ stream: HTTP2Stream, _ continuation: CheckedContinuation<Void, any Error>) {
        if isClosed || stream.closed, stream.response != .finished {
            return continuation.resume(throwing: ConnectionClosedError())
        }
        if !stream.closed, mustWait(stream) {
            stream.writeWaiter = continuation
            waitingWriters.append(stream)
        } else {
            continuation.resume()
        }
    }

    private func appendPending(_ bytes: [UInt8], to stream: HTTP2Stream) {
        stream.pending.append(bytes)
        stream.bodyBytesSent += bytes.count
        pendingBytes += bytes.count
    }

    /// Ends the stream abnormally (RST_STREAM): the client sees an incomplete response.
    func responseAborted(_ stream: HTTP2Stream) {
        guard !stream.closed, let session else { return }
        stream.response = .aborted
        stream.failWaiters(ConnectionClosedError())
        nghttp2_submit_rst_stream(session, UInt8(NGHTTP2_FLAG_NONE.rawValue), stream.id, UInt32(NGHTTP2_INTERNAL_ERROR.rawValue))
        send()
    }

    /// The handler's task ended: answer for it if it never responded, abort a response it
    /// left unfinished, and log.
    func handlerReturned(_ stream: HTTP2Stream, head: RequestHead, _ failure: (any Error)?) {
        stream.handlerDone = true
        discardBody(of: stream)
        if stream.response == .finished {
            context.accessLog.record(head, status: stream.status,
                                     bytes: stream.bodyBytesSent, startedAt: stream.startedAt, remote: io.remoteAddress)
            return
        }
        guard !stream.closed, !isClosed else { return }
        if stream.response == .notStarted {
            let response = failure.map { context.problemResponse(for: $0, target: head.target) }
                ?? context.problem(HTTPError(.internalServerError, detail: "the handler finished without a response"))
            respondComplete(response, on: stream, head: head)
            return send()
        }
        if let failure { context.logger.warning("response aborted", metadata: ["target": "\(head.target)", "error": "\(failure)"]) }
        responseAborted(stream)
    }

    private func submitHead(of stream: HTTP2Stream, status: Int, headers: HTTPHeaders, contentLength: Int?, withBody: Bool) {
        guard let session else { return }
        let block = HTTP2HeaderBlock(status: status, headers: context.responseHeaders(headers, request: stream.headers),
                                     contentLength: contentLength,
                                     date: io.loop.dateHeader.current, serverName: context.configuration.serverName)
        stream.hasDataProvider = withBody
        let rc = block.withPairs { pairs, count -> Int32 in
            if withBody {
                var provider = nghttp2_data_provider(source: nghttp2_data_source(), read_callback: HTTP2Callbacks.readResponseBody)
                return nghttp2_submit_response(session, stream.id, pairs, count, &provider)
            }
            return nghttp2_submit_response(session, stream.id, pairs, count, nil)
        }
        if rc != 0 {
            context.logger.debug("HTTP/2 submit failed", metadata: ["error": "\(String(cString: nghttp2_strerror(rc)))"])
        }
    }

    /// The data provider (see `HTTP2Callbacks.readResponseBody`).
    func readResponseBody(stream id: Int32, into buffer: UnsafeMutablePointer<UInt8>, max: Int,
                          flags: UnsafeMutablePointer<UInt32>) -> Int {
        guard let stream = streams[id] else { return Int(NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue) }
        let n = stream.pending.take(into: buffer, max: max)
        pendingBytes -= n
        if stream.pending.isEmpty {
            guard stream.bodyEnded else {
                if n > 0 { return n }
                stream.deferred = true
                return Int(NGHTTP2_ERR_DEFERRED.rawValue)
            }
            flags.pointee |= NGHTTP2_DATA_FLAG_EOF.rawValue
            if !stream.trailers.isEmpty, let session {
                flags.pointee |= NGHTTP2_DATA_FLAG_NO_END_STREAM.rawValue
                let block = HTTP2HeaderBlock(trailers: stream.trailers)
                _ = block.withPairs { pairs, count in nghttp2_submit_trailer(session, id, pairs, count) }
            }
        }
        return n
    }
}

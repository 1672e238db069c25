import Dispatch
import Logging
/// The connection side of an async exchange: starting the handler task, serving its body
/// pulls, and queueing what its writer sends. Each entry point runs on the I/O queue and
/// first checks that the exchange is still the connection's current one.
extension HTTP1Connection {
    func startExchange(head: RequestHead, request: HTTPRequest, coding: BodyInflater.Coding?, bodyLimit: BodyLimit,
                       handler: @escaping HTTPStreamingHandler, startedAt: UInt64, holdsBodySlot: Bool) {
        let exchange = Exchange(connection: self, head: head, isHeadRequest: head.method == .HEAD, startedAt: startedAt)
        exchange.holdsBodySlot = holdsBodySlot
        self.exchange = exchange
        state.exchangeStarted()
        io.wantRead(false)
        context.startHandler(handler, request: request, head: head, version: head.version, coding: coding, bodyLimit: bodyLimit,
                             source: exchange, transport: exchange) { failure in
            exchange.connection.loop.queue.async { exchange.connection.handlerReturned(exchange, failure) }
        }
    }

    /// The current exchange is over (answered, aborted or cut off): its body slot, if it
    /// took one, goes back.
    func endExchange() {
        if let exchange, exchange.holdsBodySlot {
            exchange.holdsBodySlot = false
            context.releaseBody()
        }
        exchange = nil
    }

    private func isCurrent(_ exchange: Exchange) -> Bool {
        state.phase == .exchange && self.exchange === exchange && io.isOpen
    }

    // MARK: Request body

    func bodyChunkRequested(_ exchange: Exchange, _ continuation: CheckedContinuation<[UInt8]?, any Error>) {
        guard isCurrent(exchange) else { return continuation.resume(throwing: ConnectionClosedError()) }
        if let error = exchange.bodyError { return continuation.resume(throwing: error) }
        if body.isComplete { return continuation.resume(returning: nil) }
        if exchange.head.expectsContinue, !exchange.continueSent, exchange.response == .notStarted {
            exchange.continueSent = true
            io.output.append(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            io.flush()
        }
        exchange.bodyWaiter = continuation
        state.bodyWaitStarted(now: loop.now)
        deliverBody(to: exchange)
    }

    /// Hands the waiting pull what the input holds, or resumes reading to get more.
    func deliverBody(to exchange: Exchange) {
        guard let waiter = exchange.bodyWaiter else { return }
        let chunk: [UInt8]
        do {
            let taken = try body.take(from: io.input.readable, maxData: context.configuration.requestBodyChunkSize)
            io.input.consume(taken.consumed)
            chunk = taken.chunk
            if taken.consumed > 0 { state.bodyProgressed(now: loop.now) }
        } catch {
            return failBody(of: exchange, with: error)
        }
        if !chunk.isEmpty || body.isComplete {
            if body.isComplete { exchange.bodyTrailers = body.trailers }
            exchange.bodyWaiter = nil
            state.bodyWaitEnded()
            io.wantRead(false)
            waiter.resume(returning: chunk.isEmpty ? nil : chunk)
        } else {
            io.wantRead(true)
        }
    }

    /// The body cannot be read any further: the pull (now and later) gets `error`, and the
    /// connection closes after the response.
    func failBody(of exchange: Exchange, with error: any Error) {
        exchange.bodyError = error
        state.mustClose()
        io.wantRead(false)
        if let waiter = exchange.bodyWaiter {
            exchange.bodyWaiter = nil
            state.bodyWaitEnded()
            waiter.resume(throwing: error)
        }
    }

    // MARK: Response

    /// Queues the response head (and, for a one-shot response, its body and end).
    func responseStarted(_ exchange: Exchange, status: HTTPStatus, headers: HTTPHeaders, framing: ResponseFraming,
                         body: [[UInt8]], finished: Bool, _ continuation: CheckedContinuation<Void, any Error>) {
        guard isCurrent(exchange), exchange.response == .notStarted else {
            return continuation.resume(throwing: ConnectionClosedError())
        }
        if framing == .untilClose { state.mustClose() }
        let keepAlive = decideKeepAlive(exchange.head)
        let head: [UInt8]
        do {
            head = try ResponseHeadEncoder.encode(
                status: status, headers: context.responseHeaders(headers, request: exchange.head.headers), framing: framing,
                contentLength: nil, keepAlive: keepAlive, version: exchange.head.version, date: loop.dateHeader.current, serverName: context.configuration.serverName)
        } catch {
            return continuation.resume(throwing: error)
        }
        exchange.status = status.code
        exchange.response = finished ? .finished : .started
        io.output.append(head)
        queueBody(body, of: exchange, continuation)
    }

    func responseWrote(_ exchange: Exchange, _ segments: [[UInt8]], finished: Bool, _ continuation: CheckedContinuation<Void, any Error>) {
        guard isCurrent(exchange), exchange.response == .started else {
            return continuation.resume(throwing: ConnectionClosedError())
        }
        if finished { exchange.response = .finished }
        queueBody(segments, of: exchange, continuation)
    }

    /// Queues body segments and sends; the writer waits while the backlog is above the
    /// high-water mark, until the socket drains it to the low-water mark.
    private func queueBody(_ segments: [[UInt8]], of exchange: Exchange, _ continuation: CheckedContinuation<Void, any Error>) {
        if !exchange.isHeadRequest {
            for segment in segments {
                io.output.append(segment)
                exchange.bodyBytesSent += segment.count
            }
        }
        io.flush()
        if io.isClosed { return continuation.resume(throwing: ConnectionClosedError()) }
        if io.output.count > context.configuration.outputHighWaterMark {
            exchange.writeWaiter = continuation
        } else {
            continuation.resume()
        }
    }

    /// Ends the response without its proper end (no last chunk): the client sees an
    /// incomplete body, then the connection closes.
    func responseAborted(_ exchange: Exchange) {
        guard isCurrent(exchange) else { return }
        exchange.response = .aborted
        state.mustClose()
        if let waiter = exchange.writeWaiter {
            exchange.writeWaiter = nil
            waiter.resume(throwing: ConnectionClosedError())
        }
        if let waiter = exchange.bodyWaiter {
            exchange.bodyWaiter = nil
            waiter.resume(throwing: ConnectionClosedError())
        }
        endExchange()
        close()
    }

    /// The handler's task ended: answer for it if it never responded, then move on to the
    /// next request (draining an unread body) or close.
    func handlerReturned(_ exchange: Exchange, _ failure: (any Error)?) {
        guard isCurrent(exchange) else { return }
        switch exchange.response {
        case .notStarted:
            let response = failure.map { problemResponse(for: $0, head: exchange.head) }
                ?? context.problem(HTTPError(.internalServerError, detail: "the handler finished without a response"))
            exchange.status = response.status.code
            exchange.bodyBytesSent = queueResponse(response, for: exchange.head)
        case .started, .aborted:
            if let failure { context.logger.warning("response aborted", metadata: ["target": "\(exchange.head.target)", "error": "\(failure)"]) }
            responseAborted(exchange)
            return
        case .finished:
            break
        }
        if exchange.bodyError != nil { state.mustClose() }
        finishRequest(head: exchange.head, status: exchange.status, bytes: exchange.bodyBytesSent, startedAt: exchange.startedAt)
        serviceInput()
    }
}

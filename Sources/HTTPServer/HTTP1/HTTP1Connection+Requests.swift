import Logging
/// The request cycle: parse heads from the input (looping over pipelined requests), route
/// them, run synchronous handlers in place or hand the request to an async exchange, then
/// drain an unread body or close.
extension HTTP1Connection {
    /// Processes everything the input holds that can be processed now, then sends.
    func serviceInput() {
        processInput()
        io.flush()
    }

    func processInput() {
        let input = io.input
        while io.isOpen {
            switch state.phase {
            case .awaitingHead:
                if io.output.count > context.configuration.outputHighWaterMark {
                    // A client pipelining requests without reading responses: stop reading.
                    pipelinePaused = true
                    return io.wantRead(false)
                }
                if input.isEmpty { return io.wantRead(true) }
                if state.mayStartHTTP2, context.configuration.http2.enabled, detectHTTP2Preface() { return }
                state.headBytesArrived(now: loop.now)
                let outcome: RequestHeadScanner.Outcome
                let head: RequestHead
                do {
                    outcome = try scanner.scan(input.readable)
                    guard case .complete(let start, let end) = outcome else { return io.wantRead(true) }
                    head = try RequestHeadParser.parse(UnsafeRawBufferPointer(rebasing: input.readable[start..<end]))
                    input.consume(end)
                    scanner.reset()
                } catch {
                    return respondWithError(error as? HTTPError ?? .badRequest("\(error)"), head: nil)
                }
                startRequest(head)
            case .draining:
                if !drainBufferedBody() { return }
            case .exchange, .closed:
                return
            }
        }
    }

    private func startRequest(_ head: RequestHead) {
        // `Upgrade: h2c` (the cheap field check first: this runs for every request).
        if context.configuration.http2.enabled, head.headers.contains("HTTP2-Settings"),
           let settings = HTTP2Upgrade.settingsPayload(of: head) {
            return switchToHTTP2(upgrade: (head, settings))
        }
        let startedAt = context.accessLog.startStamp()
        var request = HTTPRequest(head: head, remoteAddress: remoteAddress, body: .empty)
        body = RequestBodyDecoder(framing: head.framing, limit: BodyLimit(context.configuration.drainLimit))
        var coding: BodyInflater.Coding?
        if head.framing.hasBody {
            do {
                coding = try BodyInflater.Coding.of(head.headers)
            } catch {
                return respondWithError(error as? HTTPError ?? .badRequest("\(error)"), head: head, startedAt: startedAt)
            }
        }
        switch context.route(method: head.method, path: request.path) {
        case .respond(let response):
            sendComplete(response, for: head, startedAt: startedAt)
        case .handler(let handler, let parameters, let limit):
            if let tooLarge = context.declaredBodyTooLarge(head, limit: limit) {
                return respondWithError(tooLarge, head: head, startedAt: startedAt)
            }
            body = RequestBodyDecoder(framing: head.framing, limit: limit)
            request.pathParameters = parameters
            switch handler {
            case .sync(let handler):
                sendComplete(context.respond(with: handler, to: request, target: head.target), for: head, startedAt: startedAt)
            case .streaming(let handler):
                let readsBody = head.framing.hasBody
                guard !readsBody || context.admitBody() else {
                    state.mustClose()
                    return sendComplete(context.tooManyBodiesResponse(), for: head, startedAt: startedAt)
                }
                startExchange(head: head, request: request, coding: coding, bodyLimit: limit, handler: handler,
                              startedAt: startedAt, holdsBodySlot: readsBody)
            }
        }
    }

    /// Sends a whole response for a request served on the queue, then ends the request.
    private func sendComplete(_ response: HTTPResponse, for head: RequestHead, startedAt: UInt64) {
        let bytes = queueResponse(response, for: head)
        finishRequest(head: head, status: response.status.code, bytes: bytes, startedAt: startedAt)
    }

    /// Encodes `response` (compressing it if allowed and accepted) into the output queue;
    /// head and a small body share one buffer so they leave in one system call. Returns the
    /// body bytes queued.
    @discardableResult
    func queueResponse(_ response: HTTPResponse, for head: RequestHead?) -> Int {
        var response = response
        let isHead = head?.method == .HEAD
        if response.compressible, let head { response.compressIfAccepted(requestHeaders: head.headers, configuration: context.configuration) }
        let keepAlive = decideKeepAlive(head)
        let sendsBody = !isHead && response.status.allowsBody
        let inline = sendsBody && response.body.count <= 16 * 1024
        do {
            var bytes = try ResponseHeadEncoder.encode(
                status: response.status, headers: context.responseHeaders(response.headers, request: head?.headers),
                framing: response.status.allowsBody ? .length(response.body.count) : .none, contentLength: nil,
                keepAlive: keepAlive, version: head?.version ?? .http1_1, date: loop.dateHeader.current,
                serverName: context.configuration.serverName, reserveExtra: inline ? response.body.count : 0)
            if inline { bytes.append(contentsOf: response.body) }
            io.output.append(bytes)
            if sendsBody, !inline { io.output.append(response.body) }
            return sendsBody ? response.body.count : 0
        } catch {
            context.logger.error("invalid response header", metadata: ["error": "\(error)"])
            return queueResponse(context.problem(HTTPError(.internalServerError, detail: "the handler produced an invalid response header")), for: head)
        }
    }

    /// Whether the connection stays open after the response being started now (marking
    /// it to close when not).
    func decideKeepAlive(_ head: RequestHead?) -> Bool {
        guard let head else { return state.keepAlive(for: nil) }
        return state.keepAlive(for: .init(
            keepAliveRequested: head.keepAlive, expectsContinue: head.expectsContinue,
            continueSent: exchange?.continueSent ?? false, bodyComplete: body.isComplete,
            bodyRemaining: body.remainingLength))
    }

    /// After a response is queued: log it, then close, drain the unread body, or wait for
    /// the next request.
    func finishRequest(head: RequestHead?, status: Int, bytes: Int, startedAt: UInt64) {
        endExchange()
        if let head {
            context.accessLog.record(head, status: status, bytes: bytes, startedAt: startedAt, remote: remoteAddress)
        }
        io.reportPeakOutput()
        switch state.responseFinished(bodyComplete: body.isComplete, now: loop.now) {
        case .close: io.closeAfterFlush()
        case .drainBody: break
        case .nextRequest: io.input.shrinkIfEmpty()
        }
    }

    /// Discards buffered body bytes; true when the body is done and the next request may start.
    private func drainBufferedBody() -> Bool {
        var drained = 0
        do {
            let consumed = try body.decode(io.input.readable, maxData: Int.max) { drained += $0.count }
            io.input.consume(consumed)
        } catch {
            close()
            return false
        }
        switch state.drained(bytes: drained, bodyComplete: body.isComplete, now: loop.now) {
        case .nextRequest:
            return true
        case .close:
            io.closeAfterFlush()
            return false
        case .needMore:
            io.wantRead(true)
            return false
        }
    }

    /// Answers a request the engine refuses (parse error, limit, timeout) and closes.
    /// `startedAt` is the request's start stamp when its head was read; without one (a head
    /// that did not parse or arrive) the access log gives no duration.
    func respondWithError(_ error: HTTPError, head: RequestHead?, startedAt: UInt64 = 0) {
        state.mustClose()
        let response = context.problem(error)
        let bytes = queueResponse(response, for: head)
        finishRequest(head: head, status: error.status.code, bytes: bytes, startedAt: startedAt)
    }

    func problemResponse(for error: any Error, head: RequestHead) -> HTTPResponse {
        context.problemResponse(for: error, target: head.target)
    }
}

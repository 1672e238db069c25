import Logging
/// What the engine does with a routed request, the same over HTTP/1.1 and HTTP/2: run the
/// route's handler, or answer by itself (404, 405 with `Allow`, OPTIONS with `Allow`).
enum RouteOutcome {
    case handler(HTTPHandler, parameters: [String: String], bodyLimit: BodyLimit)
    case respond(HTTPResponse)
}

extension ServerContext {
    func route(method: HTTPMethod, path: Substring) -> RouteOutcome {
        switch router.resolve(method: method, path: path) {
        case .notFound:
            return .respond(problem(HTTPError(.notFound, detail: "no route for \(path)")))
        case .methodNotAllowed(let allow):
            var response = problem(HTTPError(.methodNotAllowed, detail: "\(method) is not allowed on \(path)"))
            response.headers["Allow"] = allow.joined(separator: ", ")
            return .respond(response)
        case .options(let allow):
            return .respond(HTTPResponse(status: .noContent, headers: ["Allow": allow.joined(separator: ", ")]))
        case .matched(let handler, let parameters, let bodyLimit):
            return .handler(handler, parameters: parameters, bodyLimit: bodyLimit ?? BodyLimit(configuration.defaultBodyLimit))
        }
    }

    /// The answer for a handler's error: an `HTTPError`'s own status, else a logged 500.
    func problemResponse(for error: any Error, target: String) -> HTTPResponse {
        if let httpError = error as? HTTPError { return problem(httpError) }
        logger.error("handler failed", metadata: ["target": "\(target)", "error": "\(error)"])
        return problem(HTTPError(.internalServerError, detail: "the request failed inside the server"))
    }

    /// 413 when a request declares a body longer than the route's limit (checked before any
    /// body byte is read).
    func declaredBodyTooLarge(_ head: RequestHead, limit: BodyLimit) -> HTTPError? {
        guard case .length(let length) = head.framing, length > limit.bytes else { return nil }
        return limit.exceeded(declared: length)
    }

    /// Runs a synchronous handler on the I/O queue; a thrown error becomes its problem response.
    func respond(with handler: HTTPSyncHandler, to request: HTTPRequest, target: String) -> HTTPResponse {
        do { return try handler(request) } catch { return problemResponse(for: error, target: target) }
    }

    /// Starts an async handler as a task, with the request's body pulled from `source` and
    /// the response written through `transport` (an HTTP/1.1 exchange or an HTTP/2 stream).
    /// A compressed body inflates to at most `bodyLimit` bytes, the route's limit: one limit
    /// for the body's content however it was sent.
    /// `returned` gets the handler's error, if any, once it is done and its response finished.
    func startHandler(_ handler: @escaping HTTPStreamingHandler, request: HTTPRequest, head: RequestHead,
                      version: HTTPVersion, coding: BodyInflater.Coding?, bodyLimit: BodyLimit, source: any RequestBodySource,
                      transport: any ResponseTransport, returned: @escaping @Sendable ((any Error)?) -> Void) {
        let body = HTTPRequestBody(source: source, coding: coding,
                                   inflateLimits: (bodyLimit, configuration.maxDecompressionRatio,
                                                   configuration.requestBodyChunkSize))
        let request = HTTPRequest(copying: request, body: body)
        let writer = HTTPResponseWriter(transport: transport, requestHeaders: head.headers, version: version,
                                        compressionLevel: configuration.compressionLevel)
        Task {
            do {
                try await handler(request, writer)
                try await writer.finishIfStarted()
                returned(nil)
            } catch {
                returned(error)
            }
        }
    }
}

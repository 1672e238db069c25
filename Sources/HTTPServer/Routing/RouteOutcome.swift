/// What the engine does with a routed request, the same over HTTP/1.1 and HTTP/2: run the
/// route's handler, or answer by itself (404, 405 with `Allow`, OPTIONS with `Allow`).
enum RouteOutcome {
    case handler(HTTPHandler, parameters: [String: String], bodyLimit: Int)
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
            return .handler(handler, parameters: parameters, bodyLimit: bodyLimit ?? configuration.defaultBodyLimit)
        }
    }

    /// The answer for a handler's error: an `HTTPError`'s own status, else a logged 500.
    func problemResponse(for error: Error, target: String) -> HTTPResponse {
        if let httpError = error as? HTTPError { return problem(httpError) }
        logger.error("handler failed", metadata: ["target": "\(target)", "error": "\(error)"])
        return problem(HTTPError(.internalServerError, detail: "the request failed inside the server"))
    }
}

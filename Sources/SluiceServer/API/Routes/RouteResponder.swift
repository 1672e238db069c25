import HTTPServer
import SluiceCore

extension SluiceAPI {
    /// Adds a synchronous route (answered on the I/O queue, for small documents); every
    /// answer is counted for `/metrics`, and a thrown error becomes its problem+json.
    /// `label` names the route in `/metrics` when it is not the pattern itself.
    func route(_ router: Router, _ method: HTTPMethod, _ pattern: String, label: String? = nil,
               _ handler: @escaping @Sendable (HTTPRequest) throws -> HTTPResponse) {
        let counter = metrics.requests(route: label ?? pattern)
        router.on(method, pattern) { request in
            let response: HTTPResponse
            do { response = try handler(request) } catch { response = ErrorMapping.apiError(error).response }
            counter.record(response.status.code)
            return response
        }
    }

    /// Adds a streaming route whose body returns the status it answered; see `respond`.
    func route(_ router: Router, _ method: HTTPMethod, _ pattern: String, bodyLimit: Int? = nil,
               _ handler: @escaping @Sendable (HTTPRequest, HTTPResponseWriter) async throws -> Int) {
        let counter = metrics.requests(route: pattern)
        router.on(method, pattern, bodyLimit: bodyLimit) { [self] request, writer in
            try await respond(counter, request, writer) { try await handler(request, writer) }
        }
    }

    /// Runs a streaming route's body, which returns the status it answered: counts the
    /// request for `/metrics` and answers any error thrown before the response started as
    /// problem+json (after it started, the response is aborted by the route itself).
    private func respond(_ counter: RouteRequestCounter, _ request: HTTPRequest, _ writer: HTTPResponseWriter,
                         _ body: () async throws -> Int) async throws {
        let route = counter.route
        do {
            counter.record(try await body())
        } catch {
            let kind: Connector.Kind? = route.hasPrefix("/v1/sources/") ? .source : route.hasPrefix("/v1/sinks/") ? .sink : nil
            let problem = ErrorMapping.apiError(error, connector: request.parameter("name"), kind: kind)
            counter.record(problem.status)
            if problem.status >= 500 {
                logger.error("request failed", metadata: ["route": "\(route)", "error": "\(error)"])
            }
            guard !writer.isStarted else { throw error }
            try await writer.send(problem.response)
        }
    }
}

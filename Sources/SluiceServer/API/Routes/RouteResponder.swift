import HTTPServer
import SluiceCore
import Logging

extension SluiceAPI {
    /// Adds a synchronous route (answered on the I/O queue, for small documents). The
    /// middleware runs first: access control (`access`: 401/403 before the handler), then the
    /// handler with the request's principal; every answer is counted for `/metrics`, and a
    /// thrown error becomes its problem+json. `label` names the route in `/metrics` when it is
    /// not the pattern itself.
    func route(_ router: Router, _ method: HTTPMethod, _ pattern: String, label: String? = nil, access: RouteAccess,
               _ handler: @escaping @Sendable (HTTPRequest, Principal) throws -> HTTPResponse) {
        let counter = metrics.requests(route: label ?? pattern)
        let accessControl = self.accessControl
        allowMethod(method, on: pattern)
        router.on(method, pattern) { request in
            let response: HTTPResponse
            do {
                response = try handler(request, try accessControl.principal(for: request, access))
            } catch {
                response = ErrorMapping.apiError(error).response
            }
            counter.record(response.status.code)
            return response
        }
    }

    /// Adds a streaming route whose body returns the status it answered; see `respond`. The
    /// middleware runs first: access control, then, for `holds`, one unit of the token's
    /// stream or upload allowance for as long as the handler runs (429 past the limit).
    func route(_ router: Router, _ method: HTTPMethod, _ pattern: String, bodyLimit: BodyLimit? = nil, access: RouteAccess,
               holds resource: TokenLimiter.Resource? = nil,
               _ handler: @escaping @Sendable (HTTPRequest, HTTPResponseWriter, Principal) async throws -> Int) {
        let counter = metrics.requests(route: pattern)
        allowMethod(method, on: pattern)
        router.on(method, pattern, bodyLimit: bodyLimit) { [self] request, writer in
            try await respond(counter, request, writer) {
                let principal = try accessControl.principal(for: request, access)
                return try await accessControl.holding(resource, for: principal) { try await handler(request, writer, principal) }
            }
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

    /// Answers CORS preflights (`OPTIONS`) for every route pattern once the routes are in;
    /// without an allowed origin the answer is the engine's (204 with `Allow`).
    func registerPreflights(on router: Router) {
        guard cors.isEnabled else { return }
        for (pattern, methods) in routeMethods.all {
            let allow = methods + (methods.contains("GET") && !methods.contains("HEAD") ? ["HEAD"] : []) + ["OPTIONS"]
            let cors = self.cors
            router.on(.OPTIONS, pattern) { request in
                cors.preflight(request, methods: allow) ?? HTTPResponse(status: .noContent, headers: ["Allow": allow.joined(separator: ", ")], body: [])
            }
        }
    }

    private func allowMethod(_ method: HTTPMethod, on pattern: String) {
        routeMethods.add(method.rawValue, pattern)
    }
}

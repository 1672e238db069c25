import HTTPServer
import SluiceCore

extension SluiceAPI {
    /// Runs a streaming route's body, which returns the status it answered: counts the request for `/metrics` and answers any error
    /// thrown before the response started as problem+json (after it started, the response is
    /// aborted by the route itself).
    func respond(_ route: String, _ request: HTTPRequest, _ writer: HTTPResponseWriter,
                 connector: String? = nil, _ body: () async throws -> Int) async throws {
        do {
            let status = try await body()
            metrics.request(route: route, status: status)
        } catch {
            let kind: Connector.Kind? = route.hasPrefix("/v1/sources/") ? .source : route.hasPrefix("/v1/sinks/") ? .sink : nil
            let problem = ErrorMapping.apiError(error, connector: connector ?? request.parameter("name"), kind: kind)
            metrics.request(route: route, status: problem.status)
            if problem.status >= 500 {
                logger.error("request failed", metadata: ["route": "\(route)", "error": "\(error)"])
            }
            guard !writer.isStarted else { throw error }
            try await writer.send(problem.response)
        }
    }
}

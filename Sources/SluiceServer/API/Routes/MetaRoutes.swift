import Foundation
import HTTPServer
import Logging
import SluiceLocks

extension SluiceAPI {
    /// `GET /healthz`, `GET /metrics`, `GET /openapi.yaml`, and `GET /v1/token` (who the
    /// request's token is: its name, scopes and limits).
    func registerMetaRoutes(on router: Router) {
        route(router, .GET, "/healthz", access: .open) { [catalog, started] _, _ in
            JSONValue.object([
                ("status", .string("ok")), ("connectors", .int(Int64(catalog.entries.count))),
                ("uptime_seconds", .double((Date().timeIntervalSince(started) * 10).rounded() / 10)),
            ]).response()
        }
        route(router, .GET, "/metrics", access: .metrics) { [metrics, sessions, serverStatistics] _, writer, _ in
            let body = metrics.exposition(server: serverStatistics.statistics(),
                                          activeSessions: await sessions.openSessionCount)
            try await writer.send(HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                                               body: body, compressible: true))
            return 200
        }
        route(router, .GET, "/v1/token", access: .anyToken) { _, principal in
            guard let token = principal.token else {
                return JSONValue.object([("auth", .bool(false)), ("name", .null), ("scopes", .array([.string("admin")]))]).response()
            }
            return JSONValue.object([
                ("auth", .bool(true)), ("name", .string(token.name)), ("scopes", .array(token.scopes.map { .string($0.description) })),
                ("limits", .object([("streams", .int(Int64(token.limits.streams))), ("uploads", .int(Int64(token.limits.uploads))),
                                    ("sessions", .int(Int64(token.limits.sessions)))])),
            ]).response()
        }
        let spec = openAPIFile.map { file in FileManager.default.contents(atPath: file).map { [UInt8]($0) } } ?? PageFiles.embeddedOpenAPI
        let document = spec.map { InMemoryFile(path: "openapi.yaml", bytes: $0) }
        route(router, .GET, "/openapi.yaml", access: .open) { [logger, openAPIFile] request, _ in
            guard let document else {
                logger.warning("openapi.yaml not found", metadata: ["path": "\(openAPIFile ?? "-")"])
                throw APIError.notFound("this server was started without its openapi.yaml")
            }
            return document.response(to: request)
        }
    }
}

/// Reads the HTTP server's counters once it exists (the API is built before the server).
final class ServerStatisticsProbe: Sendable {
    private let server = Locked<HTTPServer?>(nil)

    func attach(_ server: HTTPServer) {
        self.server.withLock { $0 = server }
    }

    /// The engine's counters (zeros before the server exists).
    func statistics() -> HTTPServerStatistics {
        server.withLock { $0 }?.statistics ?? HTTPServerStatistics()
    }
}

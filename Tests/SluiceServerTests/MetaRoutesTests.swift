import Foundation
import Testing
import SluiceServer

/// `GET /healthz`, `GET /metrics` and `GET /openapi.yaml`, and the engine's own 404.
@Suite struct MetaRoutesTests {
    @Test func healthzReportsTheConnectors() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/healthz")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let health = try response.json
            #expect(health["status"].string == "ok")
            #expect(health["connectors"].int == 11)
            #expect((health["uptime_seconds"].double ?? -1) >= 0)
        }
    }

    @Test func metricsCountRequestsAndRows() async throws {
        try await TestServer.run { server in
            #expect(try await server.client.get("/v1/sources/alice/rows").isComplete)
            #expect(try await server.client.get("/v1/connectors/nope").status == 404)
            let upload = try await server.client.post("/v1/sinks/discard", text: UsersBody.ndjson(1...100),
                                                      contentType: "application/x-ndjson")
            #expect(upload.status == 200)

            let response = try await server.client.get("/metrics")
            #expect(response.status == 200)
            #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
            let lines = response.lines
            func sample(_ name: String, _ labels: [String]) -> String? {
                lines.first { $0.hasPrefix(name + "{") && labels.allSatisfy($0.contains) }
                    .flatMap { $0.split(separator: " ").last.map(String.init) }
            }
            #expect(sample("sluice_http_requests_total", [#"route="/v1/sources/{name}/rows""#, #"status="200""#]) == "1")
            #expect(sample("sluice_http_requests_total", [#"route="/v1/connectors/{name}""#, #"status="404""#]) == "1")
            #expect(sample("sluice_http_requests_total", [#"route="/v1/sinks/{name}""#, #"status="200""#]) == "1")
            #expect(sample("sluice_rows_streamed_total", [#"source="alice""#]) == "5")
            #expect(sample("sluice_rows_written_total", [#"sink="discard""#]) == "100")
            #expect(lines.contains { $0.hasPrefix("sluice_bytes_streamed_total") })
            #expect(lines.contains { $0.hasPrefix("sluice_open_connections") })
            for gauge in ["sluice_connections_refused", "sluice_uploads_in_flight", "sluice_uploads_refused"] {
                #expect(lines.contains { $0.hasPrefix(gauge + " ") }, "\(gauge) is missing")
            }
            #expect(lines.contains { $0.hasPrefix("sluice_write_sessions_active") })
        }
    }

    @Test func openAPIServesTheConfiguredFile() async throws {
        let folder = try TemporaryDirectory("sluice-openapi")
        defer { folder.remove() }
        let spec = "openapi: 3.1.0\ninfo: {title: Sluice, version: '1'}\npaths: {}\n"
        let file = try folder.write("openapi.yaml", spec)
        try await TestServer.run(configure: { $0.openAPIFile = file }) { server in
            let response = try await server.client.get("/openapi.yaml")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/yaml")
            #expect(response.text == spec)
        }
    }

    @Test func openAPIIs404WhenItsFileIsGone() async throws {
        try await TestServer.run(configure: { $0.openAPIFile = "/nonexistent/openapi.yaml" }) { server in
            try expectProblem(try await server.client.get("/openapi.yaml"), status: 404, slug: "not-found")
        }
    }

    @Test func unknownPathIsAProblem404() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v2/everything")
            #expect(response.status == 404)
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(try response.json["status"].int == 404)
        }
    }
}

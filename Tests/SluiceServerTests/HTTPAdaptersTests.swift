import Testing
import SluiceServer

/// Errors the HTTP engine answers by itself (no route, wrong method, a declared body over
/// the limit, an unknown content coding) must use the API's problem format too: API.md says
/// so, and openapi.yaml's `Problem.type` has the pattern `^urn:sluice:problem:[a-z-]+$`.
@Suite struct HTTPAdaptersTests {
    @Test
    func engineLevelErrorsUseTheAPIsProblemFormat() async throws {
        try await TestServer.run(configure: { $0.limits.maxUploadBytes = 1024 }) { server in
            try expectProblem(try await server.client.get("/v2/everything"), status: 404, slug: "not-found")
            try expectProblem(try await server.client.delete("/v1/connectors"), status: 405, slug: "method-not-allowed")
            let large = try await server.client.post("/v1/sinks/discard", text: UsersBody.ndjson(1...200),
                                                     contentType: "application/x-ndjson")
            try expectProblem(large, status: 413, slug: "content-too-large")
            let brotli = try await server.client.post("/v1/sinks/discard", text: "abc", contentType: "application/x-ndjson",
                                                      headers: [("Content-Encoding", "br")])
            try expectProblem(brotli, status: 415, slug: "unsupported-media-type")
        }
    }

    @Test func engineLevelErrorsAreProblemDocuments() async throws {
        try await TestServer.run { server in
            for response in [try await server.client.get("/v2/everything"),
                             try await server.client.post("/v1/sinks/discard", text: "abc", contentType: "application/x-ndjson",
                                                          headers: [("Content-Encoding", "br")])] {
                #expect(response.status >= 400)
                #expect(response.header("Content-Type") == "application/problem+json")
                #expect(try response.json["status"].int == response.status)
            }
        }
    }
}

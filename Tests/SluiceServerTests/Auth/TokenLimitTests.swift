import Foundation
@testable import SluiceServer
import Testing

/// Per-token limits: past a limit 429 with Retry-After, and one token's load does not stop
/// another token's requests.
@Suite struct TokenLimitTests {
    typealias Tokens = AuthTestTokens

    @Test func aTokenAtItsUploadLimitGets429AndOthersAreStillServed() async throws {
        try await TestServer.runWithAuth { server in
            let opened = try await server.client.post("/v1/sinks/discard/writes", headers: Tokens.bearer(Tokens.limited))
            let id = try #require(try opened.json["id"].string)
            let slow = try await ChunkedUpload.start("/v1/sinks/discard/writes/\(id)/batches", port: server.port,
                                                     headers: Tokens.bearer(Tokens.limited))
            try await slow.send("{\"a\":1}\n")
            let limited = try #require(AuthTestTokens.settings.tokens.first { $0.name == "limited" })
            try await eventually("the slow upload holds the token's only upload") {
                server.app.api.accessControl.limiter.holding(.uploads, for: limited) == 1
            }
            let refused = try await server.client.post("/v1/sinks/discard", body: Array("{\"a\":2}\n".utf8),
                                                       contentType: "application/x-ndjson", headers: Tokens.bearer(Tokens.limited))
            try expectProblem(refused, status: 429, slug: "too-many-requests")
            #expect(refused.header("Retry-After") == "1")
            // Another token is served while the first holds its maximum.
            let other = try await server.client.post("/v1/sinks/discard", body: Array("{\"a\":3}\n".utf8),
                                                     contentType: "application/x-ndjson", headers: Tokens.bearer(Tokens.writer))
            #expect(other.status == 200)
            #expect(try await slow.finish().status == 200)
            let again = try await server.client.post("/v1/sinks/discard", body: Array("{\"a\":4}\n".utf8),
                                                     contentType: "application/x-ndjson", headers: Tokens.bearer(Tokens.limited))
            #expect(again.status == 200, "the limit frees when the upload ends")
        }
    }

    @Test func aTokenAtItsSessionLimitGets429() async throws {
        try await TestServer.runWithAuth { server in
            let open = { try await server.client.post("/v1/sinks/discard/writes", headers: Tokens.bearer(Tokens.limited)) }
            #expect(try await open().status == 201)
            #expect(try await open().status == 201)
            let third = try await open()
            try expectProblem(third, status: 429, slug: "too-many-requests")
            #expect(third.header("Retry-After") == "1")
            #expect(try await server.client.post("/v1/sinks/discard/writes", headers: Tokens.bearer(Tokens.writer)).status == 201)
        }
    }

    @Test func aTokenAtItsStreamLimitGets429() async throws {
        try await TestServer.runWithAuth { server in
            let limited = try #require(AuthTestTokens.settings.tokens.first { $0.name == "limited" })
            let accessControl = server.app.api.accessControl
            // Hold the token's one stream as a slow reader would.
            let granted = accessControl.limiter.acquire(.streams, for: limited)
            #expect(granted)
            let refused = try await server.client.get("/v1/sources/numbers/rows?limit=1", headers: Tokens.bearer(Tokens.limited))
            try expectProblem(refused, status: 429, slug: "too-many-requests")
            accessControl.limiter.release(.streams, for: limited)
            #expect(try await server.client.get("/v1/sources/numbers/rows?limit=1", headers: Tokens.bearer(Tokens.limited)).status == 200)
        }
    }
}

import Foundation
@testable import SluiceServer
import Testing

/// Every route under access control: no token, a malformed header, an unknown token, a token
/// without the scope, a token with it; the listing per token; session ownership.
@Suite struct AccessControlTests {
    typealias Tokens = AuthTestTokens

    /// A route, the token that may use it, and one that may not (nil: any valid token may).
    struct Case: Sendable, CustomStringConvertible {
        let method: String
        let target: String
        let allowed: String
        let denied: String?
        var body = ""
        var description: String { "\(method) \(target)" }
    }

    /// `session` and `doomed` are two open sessions of the writer into `discard`.
    static func cases(session: String, doomed: String) -> [Case] {
        let writes = "/v1/sinks/discard/writes"
        return [
            Case(method: "GET", target: "/v1/connectors", allowed: Tokens.reader, denied: nil),
            Case(method: "GET", target: "/v1/token", allowed: Tokens.reader, denied: nil),
            Case(method: "GET", target: "/v1/connectors/numbers", allowed: Tokens.reader, denied: Tokens.writer),
            Case(method: "GET", target: "/v1/connectors/discard", allowed: Tokens.writer, denied: Tokens.reader),
            Case(method: "GET", target: "/v1/sources/numbers/rows?limit=2", allowed: Tokens.reader, denied: Tokens.writer),
            Case(method: "GET", target: "/v1/sources/numbers/tasks", allowed: Tokens.reader, denied: Tokens.writer),
            Case(method: "GET", target: "/v1/sources/numbers/tasks/0/rows?limit=2", allowed: Tokens.reader, denied: Tokens.writer),
            Case(method: "GET", target: "/v1/sources/alice/rows", allowed: Tokens.admin, denied: Tokens.reader),
            Case(method: "POST", target: writes, allowed: Tokens.writer, denied: Tokens.reader),
            Case(method: "GET", target: "\(writes)/\(session)", allowed: Tokens.writer, denied: Tokens.reader),
            Case(method: "POST", target: "\(writes)/\(session)/batches", allowed: Tokens.writer, denied: Tokens.reader, body: "{\"a\":1}\n"),
            Case(method: "POST", target: "/v1/sinks/discard", allowed: Tokens.writer, denied: Tokens.reader, body: "{\"a\":1}\n"),
            Case(method: "GET", target: "/metrics", allowed: Tokens.admin, denied: Tokens.writer),
            Case(method: "POST", target: "\(writes)/\(session)/finalize", allowed: Tokens.writer, denied: Tokens.reader),
            Case(method: "DELETE", target: "\(writes)/\(doomed)", allowed: Tokens.admin, denied: Tokens.reader),
        ]
    }

    static func send(_ server: TestServer, _ c: Case, _ headers: [(String, String)]) async throws -> HTTPTestResponse {
        let contentType: [(String, String)] = c.body.isEmpty ? [] : [("Content-Type", "application/x-ndjson")]
        return try await server.client.send(c.method, c.target, headers: headers + contentType, body: Array(c.body.utf8))
    }

    @Test func everyRouteAnswers401WithoutAValidTokenAnd403WithoutTheScope() async throws {
        try await TestServer.runWithAuth { server in
            var ids: [String] = []
            for _ in 0..<2 {
                let opened = try await server.client.post("/v1/sinks/discard/writes", headers: Tokens.bearer(Tokens.writer))
                ids.append(try #require(try opened.json["id"].string))
            }
            for c in Self.cases(session: ids[0], doomed: ids[1]) {
                for headers in [[], [("Authorization", "Basic dXNlcjpwdw==")], [("Authorization", "Bearer")],
                                Tokens.bearer("not-a-known-token")] {
                    let response = try await Self.send(server, c, headers)
                    try expectProblem(response, status: 401, slug: "unauthorized")
                    #expect(response.header("WWW-Authenticate")?.hasPrefix("Bearer realm=\"sluice\"") == true, "\(c) \(headers)")
                }
                if let denied = c.denied {
                    let response = try await Self.send(server, c, Tokens.bearer(denied))
                    try expectProblem(response, status: 403, slug: "forbidden")
                    #expect(response.header("WWW-Authenticate")?.contains("insufficient_scope") == true, "\(c)")
                }
                let allowed = try await Self.send(server, c, Tokens.bearer(c.allowed))
                #expect((200..<300).contains(allowed.status), "\(c): \(allowed.status) \(allowed.text)")
            }
        }
    }

    @Test func openRoutesNeedNoToken() async throws {
        try await TestServer.runWithAuth { server in
            let plain = try await server.client.get("/healthz")
            let withBadToken = try await server.client.get("/healthz", headers: Tokens.bearer("wrong"))
            #expect(plain.status == 200 && withBadToken.status == 200)
        }
    }

    @Test func theListingShowsWhatTheTokenMayUse() async throws {
        try await TestServer.runWithAuth { server in
            let names = { (token: String) in
                try await server.client.get("/v1/connectors", headers: Tokens.bearer(token)).json["connectors"].array?
                    .compactMap { $0["name"].string }.sorted() ?? []
            }
            #expect(try await names(Tokens.reader) == ["numbers", "small"])
            #expect(try await names(Tokens.writer) == ["discard", "users"])
            #expect(try await names(Tokens.admin).count == server.app.api.catalog.entries.count)
            let me = try await server.client.get("/v1/token", headers: Tokens.bearer(Tokens.reader)).json
            #expect(me["name"].string == "reader" && me["scopes"].array?.compactMap(\.string) == ["read:numbers", "read:sm*"])
        }
    }

    @Test func aSessionBelongsToTheTokenThatOpenedIt() async throws {
        try await TestServer.runWithAuth { server in
            let opened = try await server.client.post("/v1/sinks/users/writes", headers: Tokens.bearer(Tokens.writer))
            let id = try #require(try opened.json["id"].string)
            let path = "/v1/sinks/users/writes/\(id)"
            let body = Array(UsersBody.ndjson(1...3).utf8)
            let upload = { (token: String) in
                try await server.client.post(path + "/batches", body: body, contentType: "application/x-ndjson", headers: Tokens.bearer(token))
            }
            // Another token with the sink's scope sees no such session, whatever it tries.
            try expectProblem(try await server.client.get(path, headers: Tokens.bearer(Tokens.otherWriter)), status: 404, slug: "not-found")
            try expectProblem(try await upload(Tokens.otherWriter), status: 404, slug: "not-found")
            try expectProblem(try await server.client.post(path + "/finalize", headers: Tokens.bearer(Tokens.otherWriter)),
                              status: 404, slug: "not-found")
            try expectProblem(try await server.client.send("DELETE", path, headers: Tokens.bearer(Tokens.otherWriter)),
                              status: 404, slug: "not-found")
            #expect(try await upload(Tokens.writer).status == 200)
            #expect(try await server.client.get(path, headers: Tokens.bearer(Tokens.admin)).status == 200, "admin sees every session")
            #expect(try await server.client.post(path + "/finalize", headers: Tokens.bearer(Tokens.writer)).status == 200)
            let record = try #require(try await server.app.api.sessions.store.load(id))
            #expect(record.owner == "writer")
        }
    }

    @Test func oneTokensIdempotencyKeysAreNotAnothers() async throws {
        try await TestServer.runWithAuth { server in
            let headers = { (token: String) in Tokens.bearer(token) + [("Idempotency-Key", "same")] }
            let first = try await server.client.post("/v1/sinks/users/writes", headers: headers(Tokens.writer))
            let second = try await server.client.post("/v1/sinks/users/writes", headers: headers(Tokens.otherWriter))
            #expect(first.status == 201 && second.status == 201)
            #expect(try first.json["id"].string != second.json["id"].string)
            #expect(second.header("Idempotent-Replayed") == nil)
        }
    }
}

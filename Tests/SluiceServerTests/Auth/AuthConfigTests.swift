import Foundation
import SluiceCore
@testable import SluiceServer
import Testing

/// The `auth:` and `cors:` sections, the tokens file, `sluice token create`, and the refusal
/// to serve beyond loopback without tokens.
@Suite struct AuthConfigTests {
    static let digest = Hex.string(AccessToken.digest(of: "t"))

    @Test func theAuthSectionReadsTokensScopesAndLimits() throws {
        let config = try SluiceConfig.parse(yaml: """
            connectors: []
            auth:
              public_metrics: true
              limits: {uploads: 3}
              tokens:
                - name: ci
                  sha256: \(Self.digest)
                  scopes: ["read:*", "write:users"]
                  limits: {streams: 2}
            cors:
              allowed_origins: ["https://app.example"]
            """, baseDirectory: ".")
        let token = try #require(config.auth.tokens.first)
        #expect(token.name == "ci" && token.digest == AccessToken.digest(of: "t"))
        #expect(token.scopes == [.read("*"), .write("users")])
        #expect(token.limits == TokenLimits(streams: 2, uploads: 3, sessions: TokenLimits().sessions))
        #expect(config.auth.publicMetrics && config.auth.isEnabled)
        #expect(config.cors.allowedOrigins == ["https://app.example"])
    }

    @Test func authMistakesNameTheirPath() {
        let cases: [(String, String)] = [
            ("tokens: [{name: ci, sha256: abc, scopes: [admin]}]", "auth.tokens[0].sha256: must be the token's SHA-256"),
            ("tokens: [{name: ci, sha256: \(Self.digest), scopes: [root]}]", "auth.tokens[0].scopes[0]: 'root' is not a scope"),
            ("tokens: [{name: ci, sha256: \(Self.digest)}]", "auth.tokens[0].scopes: is required"),
            ("tokens: [{name: ci, sha256: \(Self.digest), scopes: [admin], role: x}]", "auth.tokens[0].role: unknown option"),
            ("tokens: [{name: a, sha256: \(Self.digest), scopes: [admin]}, {name: a, sha256: \(Self.digest), scopes: [admin]}]",
             "auth.tokens: two tokens are named 'a'"),
            ("limits: {uploads: 0}", "auth.limits.uploads: must be a positive integer"),
        ]
        for (section, message) in cases {
            let yaml = "connectors: []\nauth:\n" + section.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
            #expect((try? ConfigFixtures.errors(yaml))?.description.contains(message) == true, "\(message)")
        }
    }

    @Test func aTokensFileAddsTokens() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = try dir.write("tokens.yaml", "tokens:\n  - name: ops\n    sha256: \(Self.digest)\n    scopes: [admin]\n")
        let config = try SluiceConfig.parse(yaml: "connectors: []\nauth: {tokens_file: tokens.yaml}\n", baseDirectory: dir.path)
        #expect(config.auth.tokens.map(\.name) == ["ops"])
        #expect(try AuthSettings.load(tokensFile: file).first?.isAdmin == true)
    }

    @Test func tokenCreatePrintsTheTokenThenAnEntryThatAcceptsIt() async throws {
        let outcome = try await ProcessRunner.run(SluiceCommandTests.executable,
                                                  ["token", "create", "--name", "ci", "--scopes", "read:*,write:users"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdoutText.split(separator: "\n").map(String.init)
        let token = try #require(lines.first)
        #expect(token.hasPrefix("sluice_") && token.count == 7 + 64)
        let entry = lines.dropFirst().joined(separator: "\n")
        #expect(entry.contains("sha256: " + Hex.string(AccessToken.digest(of: token))))
        let yaml = "connectors: []\nauth:\n  tokens:\n" + lines.dropFirst(2).map { "    " + $0 }.joined(separator: "\n")
        let config = try SluiceConfig.parse(yaml: yaml, baseDirectory: ".")
        #expect(TokenVerifier(tokens: config.auth.tokens).verify(authorization: "Bearer " + token) == .valid(config.auth.tokens[0]))
        #expect(config.auth.tokens[0].scopes == [.read("*"), .write("users")])
        let again = try await ProcessRunner.run(SluiceCommandTests.executable, ["token", "create", "--name", "ci", "--scopes", "admin"])
        #expect(again.stdoutText.split(separator: "\n").first.map(String.init) != token, "every token is new")
        let bad = try await ProcessRunner.run(SluiceCommandTests.executable, ["token", "create", "--name", "ci", "--scopes", "root"])
        #expect(bad.status != 0 && bad.stderr.contains("'root' is not a scope"))
    }

    @Test func servingBeyondLoopbackWithoutTokensIsRefused() async throws {
        for host in ["0.0.0.0", "::"] {
            let outcome = try await ProcessRunner.run(SluiceCommandTests.executable,
                                                      ["serve", "--host", host, "--port", "0", "--state", "memory"], timeoutSeconds: 30)
            #expect(outcome.status == 1)
            #expect(outcome.stderr.contains("refusing to serve on \(host) without access tokens"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("--insecure-no-auth") && outcome.stderr.contains("sluice token create"))
        }
    }

    @Test func corsAnswersPreflightsAndNamesAllowedOrigins() async throws {
        try await TestServer.runWithAuth(cors: CORSPolicy(allowedOrigins: ["https://app.example"])) { server in
            let preflight = try await server.client.send("OPTIONS", "/v1/sources/numbers/rows", headers: [
                ("Origin", "https://app.example"), ("Access-Control-Request-Method", "GET"),
                ("Access-Control-Request-Headers", "authorization"),
            ])
            #expect(preflight.status == 204)
            #expect(preflight.header("Access-Control-Allow-Origin") == "https://app.example")
            #expect(preflight.header("Access-Control-Allow-Methods")?.contains("GET") == true)
            #expect(preflight.header("Access-Control-Allow-Headers")?.contains("Authorization") == true)
            let get = try await server.client.get("/v1/connectors", headers: AuthTestTokens.bearer(AuthTestTokens.reader)
                                                  + [("Origin", "https://app.example")])
            #expect(get.status == 200 && get.header("Access-Control-Allow-Origin") == "https://app.example")
            #expect(get.header("Vary")?.contains("Origin") == true)
            let refused = try await server.client.get("/v1/connectors", headers: [("Origin", "https://app.example")])
            #expect(refused.status == 401 && refused.header("Access-Control-Allow-Origin") == "https://app.example",
                    "a browser can read the 401 and ask for a token")
            let stranger = try await server.client.send("OPTIONS", "/v1/sources/numbers/rows", headers: [
                ("Origin", "https://evil.example"), ("Access-Control-Request-Method", "GET"),
            ])
            #expect(stranger.header("Access-Control-Allow-Origin") == nil && stranger.header("Access-Control-Allow-Methods") == nil)
        }
    }
}

import Foundation
@testable import SluiceServer
import Testing

/// Bearer parsing, constant-time comparison, and tokens kept out of what the server says.
@Suite struct TokenVerifierTests {
    static let tokens = (0..<20).map { AccessToken(name: "t\($0)", digest: AccessToken.digest(of: "token-\($0)"), scopes: [.admin]) }

    @Test func findsEveryTokenAndRefusesTheRest() {
        let verifier = TokenVerifier(tokens: Self.tokens)
        for i in 0..<20 { #expect(verifier.verify(authorization: "Bearer token-\(i)") == .valid(Self.tokens[i])) }
        #expect(verifier.verify(authorization: "bearer   token-7") == .valid(Self.tokens[7]), "scheme case-insensitive")
        #expect(verifier.verify(authorization: nil) == .missing)
        #expect(verifier.verify(authorization: "Bearer token-20") == .unknown)
        #expect(verifier.verify(authorization: "Bearer token-1 ") == .malformed)
        for malformed in ["", "Bearer", "Bearer ", "Basic dG9rZW4tMQ==", "token-1", "Bearer tok\"en", "Bearer a b"] {
            #expect(verifier.verify(authorization: malformed) == .malformed, "\(malformed)")
        }
    }

    /// A byte sequence that counts how many of its bytes were read.
    final class CountingBytes: RandomAccessCollection, @unchecked Sendable {
        // Guard: used by one test on one task.
        let bytes: [UInt8]
        var reads = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        var startIndex: Int { 0 }
        var endIndex: Int { bytes.count }
        subscript(position: Int) -> UInt8 {
            reads += 1
            return bytes[position]
        }
    }

    @Test func theComparisonReadsEveryByteWhereverTheFirstDifferenceIs() {
        let stored = AccessToken.digest(of: "secret")
        for differing in [0, 1, 16, 31] {
            var guess = stored
            guess[differing] ^= 0xFF
            let counted = CountingBytes(guess)
            #expect(TokenVerifier.constantTimeEqual(stored, counted) == false)
            #expect(counted.reads == 32, "stopped after \(counted.reads) bytes for a difference at \(differing)")
        }
        let equal = CountingBytes(stored)
        #expect(TokenVerifier.constantTimeEqual(stored, equal) && equal.reads == 32)
    }

    @Test func tokensNeverReachTheLogOrTheAnswers() async throws {
        let lines = LogCapture()
        try await TestServer.runWithAuth(logs: lines) { server in
            for token in AuthTestTokens.all + ["unknown-token-value-123"] {
                for target in ["/v1/connectors", "/v1/sources/numbers/rows?limit=1", "/metrics", "/v1/sources/alice/rows?limit=1"] {
                    let response = try await server.client.get(target, headers: AuthTestTokens.bearer(token))
                    #expect(!response.text.contains(token), "\(target) answered with the token")
                }
                _ = try await server.client.post("/v1/sinks/discard", body: Array("{\"a\":1}\n".utf8), contentType: "application/x-ndjson",
                                                 headers: AuthTestTokens.bearer(token))
            }
        }
        let log = lines.text
        #expect(log.contains("client=reader") && log.contains("client=unknown-token"), "the access log names tokens")
        for token in AuthTestTokens.all + ["unknown-token-value-123"] {
            #expect(!log.contains(token), "the log holds a token")
            #expect(!log.contains(Hex.string(AccessToken.digest(of: token))), "the log holds a token's digest")
        }
    }
}

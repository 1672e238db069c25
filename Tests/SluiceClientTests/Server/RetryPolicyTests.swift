import AsyncHTTPClient
import Foundation
import Testing
@testable import SluiceClient

struct RetryPolicyTests {
    func problem(_ status: Int, type: String? = nil, retryAfter: Double? = nil) -> ServerProblem {
        let body = type.map { "{\"type\":\"urn:sluice:problem:\($0)\",\"title\":\"t\",\"status\":\(status)}" } ?? ""
        return ServerProblem(status: status, body: Array(body.utf8), retryAfter: retryAfter)
    }

    @Test func whatIsRetried() {
        #expect(RetryPolicy.verdict(for: problem(503)).retriable)
        #expect(RetryPolicy.verdict(for: problem(500)).retriable)
        #expect(RetryPolicy.verdict(for: problem(408)).retriable)
        #expect(RetryPolicy.verdict(for: problem(429, retryAfter: 3)) == (true, 3))
        #expect(RetryPolicy.verdict(for: problem(409, type: "idempotency-key-in-use")).retriable)
        #expect(!RetryPolicy.verdict(for: problem(409, type: "session-closed")).retriable)
        #expect(!RetryPolicy.verdict(for: problem(422)).retriable)
        #expect(!RetryPolicy.verdict(for: problem(404)).retriable)
        #expect(!RetryPolicy.verdict(for: problem(501)).retriable)
        #expect(RetryPolicy.verdict(for: HTTPClientError.remoteConnectionClosed).retriable)
        #expect(!RetryPolicy.verdict(for: CancellationError()).retriable)
        #expect(RetryPolicy.verdict(for: ClientFailure("cut", retriable: true)).retriable)
        #expect(!RetryPolicy.verdict(for: ClientFailure("bad input")).retriable)
    }

    @Test func waitsDoubleUpToTheCapAndRetryAfterWins() {
        let policy = RetryPolicy(retries: 5, baseDelay: 0.25, maxDelay: 1)
        #expect(policy.delay(beforeRetry: 1, retryAfter: nil, jitter: 1) == 0.25)
        #expect(policy.delay(beforeRetry: 2, retryAfter: nil, jitter: 1) == 0.5)
        #expect(policy.delay(beforeRetry: 5, retryAfter: nil, jitter: 1) == 1)
        #expect(policy.delay(beforeRetry: 1, retryAfter: 7, jitter: 1) == 7)
        #expect(policy.delay(beforeRetry: 1, retryAfter: 7200, jitter: 1) == 60)
    }

    @Test func retryAfterIsSecondsOrAnHTTPDate() {
        #expect(RetryPolicy.retryAfter("2") == 2)
        let now = Date(timeIntervalSince1970: 1_000_000_000)  // Sun, 09 Sep 2001 01:46:40 GMT
        #expect(RetryPolicy.retryAfter("Sun, 09 Sep 2001 01:46:50 GMT", now: now) == 10)
        #expect(RetryPolicy.retryAfter(nil) == nil)
        #expect(RetryPolicy.retryAfter("soon") == nil)
    }

    @Test func runStopsAtTheFirstFinalAnswerOrAfterTheRetries() async throws {
        let policy = RetryPolicy(retries: 2, baseDelay: 0.001, maxDelay: 0.001)
        var calls = 0
        await #expect(throws: ServerProblem.self) {
            try await policy.run { calls += 1; throw problem(503) }
        }
        #expect(calls == 3)
        calls = 0
        await #expect(throws: ServerProblem.self) {
            try await policy.run { calls += 1; throw problem(400) }
        }
        #expect(calls == 1)
        calls = 0
        let value = try await policy.run { calls += 1; if calls < 2 { throw problem(502) }; return 7 }
        #expect(value == 7)
    }

    @Test func problemsReadTheirBodyOrKeepTheText() {
        let parsed = ServerProblem(status: 422, body: Array(#"{"type":"urn:sluice:problem:invalid-body","title":"Invalid Body","status":422,"detail":"d","errors":[{"line":3,"column":4,"field":"id","message":"m"}]}"#.utf8))
        #expect(parsed.type == "invalid-body")
        #expect(parsed.errors.first?.line == 3)
        #expect(ServerProblem(status: 502, body: Array("Bad Gateway".utf8)).description == "HTTP 502: Bad Gateway")
    }
}

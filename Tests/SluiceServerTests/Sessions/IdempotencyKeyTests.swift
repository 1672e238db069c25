import Foundation
import SluiceServer
import Testing

/// `Idempotency-Key` on opening a session, on batches and on one-shot writes: a retry is
/// answered from the store, a reused key with another body is 422, a key in flight is 409.
@Suite struct IdempotencyKeyTests {
    @Test func aRepeatedBatchIsAnsweredFromTheStoreAndWrittenOnce() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let body = UsersBody.ndjson(1...15)
            let first = try await session.batch(body, headers: [("Idempotency-Key", "batch-1")])
            let again = try await session.batch(body, headers: [("Idempotency-Key", "batch-1")])
            #expect(first.status == 200 && again.status == 200)
            #expect(first.header("Idempotent-Replayed") == nil && again.header("Idempotent-Replayed") == "true")
            #expect(again.text == first.text)
            let state = try await session.state().json
            #expect(state["batch_count"].int == 1 && state["rows_written"].int == 15)
            #expect(try await session.finalize().status == 200)
            #expect(try server.writtenLines(in: server.usersOutput).sorted() == UsersBody.lines(1...15).sorted())
        }
    }

    @Test func theSameKeyWithAnotherBodyIs422() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("users", on: server)
            #expect(try await session.batch(UsersBody.ndjson(1...3), headers: [("Idempotency-Key", "k")]).status == 200)
            let other = try await session.batch(UsersBody.ndjson(4...6), headers: [("Idempotency-Key", "k")])
            try expectProblem(other, status: 422, slug: "idempotency-key-reused")
            // The same key in another session is another key.
            let second = try await WriteSessionClient.open("users", on: server)
            #expect(try await second.batch(UsersBody.ndjson(4...6), headers: [("Idempotency-Key", "k")]).status == 200)
        }
    }

    @Test func aRepeatWhileTheFirstIsInFlightIs409WithRetryAfter() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let slow = try await ChunkedUpload.start(session.path + "/batches", port: server.port,
                                                     headers: [("Idempotency-Key", "slow")])
            try await slow.send(UsersBody.ndjson(1...5))
            try await eventually("the slow upload holds its key") {
                try await server.app.api.sessions.store.lookup(.batches(session: session.id), key: "slow") == .inFlight
            }
            let claimed = try await session.batch(UsersBody.ndjson(1...5), headers: [("Idempotency-Key", "slow")])
            try expectProblem(claimed, status: 409, slug: "idempotency-key-in-use")
            #expect(claimed.header("Retry-After") == "1")
            let done = try await slow.finish()
            #expect(done.status == 200)
            let replay = try await session.batch(UsersBody.ndjson(1...5), headers: [("Idempotency-Key", "slow")])
            #expect(replay.status == 200 && replay.header("Idempotent-Replayed") == "true")
            #expect(try await session.state().json["batch_count"].int == 1)
        }
    }

    @Test func aValidationFailureIsReplayedAndAServerFailureIsNot() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("people", on: server)
            let bad = #"{"id":"one","name":"x"}"# + "\n"
            let first = try await session.batch(bad, headers: [("Idempotency-Key", "bad")])
            try expectProblem(first, status: 422, slug: "invalid-body")
            let again = try await session.batch(bad, headers: [("Idempotency-Key", "bad")])
            #expect(again.status == 422 && again.header("Idempotent-Replayed") == "true" && again.text == first.text)
            // The refusing sink fails its finalize with a 5xx: the key is freed and a retry runs again.
            let headers = [("Idempotency-Key", "r")]
            let failed = try await server.client.post("/v1/sinks/refusing", text: UsersBody.ndjson(1...2),
                                                      contentType: "application/x-ndjson", headers: headers)
            try expectProblem(failed, status: 500, slug: "sink-failed")
            let retried = try await server.client.post("/v1/sinks/refusing", text: UsersBody.ndjson(1...2),
                                                       contentType: "application/x-ndjson", headers: headers)
            try expectProblem(retried, status: 500, slug: "sink-failed")
            #expect(retried.header("Idempotent-Replayed") == nil)
        }
    }

    @Test func openingASessionTwiceWithOneKeyGivesOneSession() async throws {
        try await TestServer.run { server in
            let headers = [("Idempotency-Key", "open-1")]
            let first = try await server.client.post("/v1/sinks/users/writes", headers: headers)
            let again = try await server.client.post("/v1/sinks/users/writes", headers: headers)
            #expect(first.status == 201 && again.status == 201)
            #expect(try again.json["id"].string == first.json["id"].string)
            #expect(again.header("Location") == first.header("Location"))
            #expect(await server.app.api.sessions.openSessionCount == 1)
        }
    }

    @Test func aOneShotWriteWithAKeyIsWrittenOnce() async throws {
        try await TestServer.run { server in
            let body = UsersBody.ndjson(1...12)
            let headers = [("Idempotency-Key", "once")]
            let first = try await server.client.post("/v1/sinks/users", text: body, contentType: "application/x-ndjson", headers: headers)
            let again = try await server.client.post("/v1/sinks/users", text: body, contentType: "application/x-ndjson", headers: headers)
            #expect(first.status == 200 && again.status == 200 && again.header("Idempotent-Replayed") == "true")
            #expect(again.text == first.text)
            #expect(try server.writtenLines(in: server.usersOutput).sorted() == UsersBody.lines(1...12).sorted())
        }
    }

    @Test func aMalformedKeyIs400() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let long = String(repeating: "k", count: 256)
            try expectProblem(try await session.batch(UsersBody.ndjson(1...1), headers: [("Idempotency-Key", long)]),
                              status: 400, slug: "invalid-idempotency-key")
            #expect(try await session.state().json["batch_count"].int == 0)
        }
    }
}

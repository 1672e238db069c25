import Foundation
import Testing
import SluiceServer

/// The write-session manager behind the sink routes: concurrent uploads into one session,
/// and expiry after the idle TTL (driven by calling `expire(now:)` with a later clock).
@Suite struct WriteSessionManagerTests {
    @Test func concurrentUploadsIntoOneSessionAllCount() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for part in 0..<8 {
                    let ids = (part * 100 + 1)...(part * 100 + 100)
                    let format = part % 2 == 0 ? "application/x-ndjson" : "text/csv"
                    let body = part % 2 == 0 ? UsersBody.ndjson(ids) : UsersBody.csv(ids)
                    group.addTask { try await session.batch(body, contentType: format).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 8))
            let state = try await session.state().json
            #expect(state["batch_count"].int == 8)
            #expect(state["rows_written"].int == 800)
            let summary = try await session.finalize().json
            #expect(summary["rows"][0]["files_written"].int == 80)
            #expect(summary["rows"][0]["total_rows"].int == 800)
            #expect(try server.writtenLines(in: server.usersOutput).sorted() == UsersBody.lines(1...800).sorted())
        }
    }

    @Test func idleSessionsExpireAfterTheTTL() async throws {
        try await TestServer.run(configure: { $0.sessionTTL = 60 }) { server in
            let idle = try await WriteSessionClient.open("users", on: server)
            #expect(try await idle.batch(UsersBody.ndjson(1...20)).status == 200)
            let finished = try await WriteSessionClient.open("discard", on: server)
            #expect(try await finished.finalize().status == 200)

            // Not idle long enough yet: nothing changes.
            await server.app.api.sessions.expire(now: Date().addingTimeInterval(30))
            #expect(try await idle.state().json["state"].string == "open")
            #expect(server.directory.staged(in: server.usersOutput).count == 2)

            await server.app.api.sessions.expire(now: Date().addingTimeInterval(120))
            let state = try await idle.state().json
            #expect(state["state"].string == "aborted")
            #expect(state["reason"].string?.contains("expired") == true)
            #expect(server.directory.allEntries(in: server.usersOutput).isEmpty)
            try expectProblem(try await idle.batch(UsersBody.ndjson(21...22)), status: 409, slug: "session-closed")
            try expectProblem(try await idle.finalize(), status: 409, slug: "session-closed")
            // A finalized session is not expired: its summary stays available.
            #expect(try await finished.finalize().status == 200)
            #expect(await server.app.api.sessions.openSessionCount == 0)
        }
    }

    @Test func closedSessionsAreForgottenAfterRetention() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("discard", on: server)
            #expect(try await session.finalize().status == 200)
            let retention = await server.app.api.sessions.retention
            await server.app.api.sessions.expire(now: Date().addingTimeInterval(retention + 60))
            try expectProblem(try await session.state(), status: 404, slug: "not-found")
        }
    }

    @Test func finalizeWhileAnUploadIsInProgressIs409Busy() async throws {
        // One-row batches: the sink has a staged file as soon as the first row arrives.
        try await TestServer.run(configure: { $0.limits.batchRows = 1 }) { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let upload = try await ChunkedUpload.start(session.path + "/batches", port: server.port)
            try await upload.send(UsersBody.ndjson(1...3))
            try await eventually("the upload reached the sink") { !server.directory.allEntries(in: server.usersOutput).isEmpty }

            try expectProblem(try await session.finalize(), status: 409, slug: "session-busy")

            try await upload.send(UsersBody.ndjson(4...12))
            let done = try await upload.finish()
            #expect(done.status == 200, "\(done.text)")
            #expect(try done.json["rows_written"].int == 12)
            let summary = try await session.finalize().json
            #expect(summary["rows"][0]["total_rows"].int == 12)
            #expect(summary["rows"][0]["files_written"].int == 2)
        }
    }

    @Test func aClientThatGoesAwayMidUploadLeavesNothing() async throws {
        try await TestServer.run(configure: { $0.limits.batchRows = 1 }) { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let upload = try await ChunkedUpload.start(session.path + "/batches", port: server.port)
            try await upload.send(UsersBody.ndjson(1...25))
            try await eventually("the upload reached the sink") { !server.directory.allEntries(in: server.usersOutput).isEmpty }
            upload.abandon()
            try await eventually("the abandoned upload was removed") { server.directory.allEntries(in: server.usersOutput).isEmpty }

            let state = try await session.state().json
            #expect(state["state"].string == "open")
            #expect(state["batch_count"].int == 0 && state["rows_written"].int == 0)
            #expect(try await session.batch(UsersBody.ndjson(1...5)).status == 200)
            #expect(try await session.finalize().json["rows"][0]["total_rows"].int == 5)
        }
    }

    @Test func abortDuringAnUploadRemovesThatUploadToo() async throws {
        try await TestServer.run(configure: { $0.limits.batchRows = 1 }) { server in
            let session = try await WriteSessionClient.open("users", on: server)
            #expect(try await session.batch(UsersBody.ndjson(1...10)).status == 200)
            let upload = try await ChunkedUpload.start(session.path + "/batches", port: server.port)
            try await upload.send(UsersBody.ndjson(11...13))
            try await eventually("the second upload reached the sink") {
                server.directory.allEntries(in: server.usersOutput).count == 2
            }
            #expect(try await session.abort().status == 200)
            try await upload.send(UsersBody.ndjson(14...15))
            try expectProblem(try await upload.finish(), status: 409, slug: "session-closed")
            #expect(server.directory.allEntries(in: server.usersOutput).isEmpty)
            #expect(try await session.state().json["rows_written"].int == 10)
        }
    }
}

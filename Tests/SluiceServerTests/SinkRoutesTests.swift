import Foundation
import Testing
import SluiceServer

/// Write sessions and the one-shot upload: open, batches in every format, state, finalize
/// (idempotent), abort, the 404s and 409s, and the seed's 1,000 users.
@Suite struct SinkRoutesTests {
    @Test func sessionLifecycleAcrossUploadFormats() async throws {
        try await TestServer.run { server in
            let opened = try await server.client.post("/v1/sinks/users/writes")
            #expect(opened.status == 201)
            let document = try opened.json
            #expect(document["sink"].string == "users")
            #expect(document["state"].string == "open")
            #expect(document["batch_count"].int == 0 && document["rows_written"].int == 0)
            #expect(document["reason"].isNull)
            let id = try #require(document["id"].string)
            #expect(document["links"]["batches"].string == "/v1/sinks/users/writes/\(id)/batches")
            #expect(document["links"]["finalize"].string == "/v1/sinks/users/writes/\(id)/finalize")
            let session = WriteSessionClient(client: server.client, sink: "users", id: id)

            let ndjson = try await session.batch(UsersBody.ndjson(1...25))
            #expect(ndjson.status == 200, "\(ndjson.text)")
            let written = try ndjson.json
            #expect(written["session"].string == id)
            #expect(written["rows_written"].int == 25)
            #expect(written["results"].array?.compactMap { $0["rows_written"].int } == [10, 10, 5])
            #expect(written["results"][0]["result"]["file"].string?.hasPrefix("users_") == true)

            let array = try await session.batch(UsersBody.jsonArray(26...35), contentType: "application/json")
            #expect(array.status == 200, "\(array.text)")
            #expect(try array.json["rows_written"].int == 10)
            let csv = try await session.batch(UsersBody.csv(36...40), contentType: "text/csv")
            #expect(csv.status == 200, "\(csv.text)")
            #expect(try csv.json["rows_written"].int == 5)
            let gzipped = try await ProcessRunner.gzip(Array(UsersBody.ndjson(41...50).utf8))
            let zipped = try await session.batch(bytes: gzipped, contentType: "application/x-ndjson",
                                                 headers: [("Content-Encoding", "gzip")])
            #expect(zipped.status == 200, "\(zipped.text)")
            #expect(try zipped.json["rows_written"].int == 10)
            let empty = try await session.batch("")
            #expect(empty.status == 200)
            #expect(try empty.json["rows_written"].int == 0)

            let state = try await session.state().json
            #expect(state["state"].string == "open")
            #expect(state["batch_count"].int == 5)
            #expect(state["rows_written"].int == 50)
            #expect(server.directory.files(in: server.usersOutput).isEmpty, "nothing visible before finalize")

            let finalized = try await session.finalize()
            #expect(state["bytes_written"].int == (try server.writtenBytes(in: server.usersOutput)))
            #expect(finalized.status == 200)
            let summary = try finalized.json
            #expect(summary["schema"].fieldList
                == ["files_written: Int64", "total_rows: Int64", "total_bytes: Int64", "output_directory: String"])
            #expect(summary["rows"].count == 1)
            #expect(summary["rows"][0]["files_written"].int == 6)
            #expect(summary["rows"][0]["total_rows"].int == 50)
            #expect(summary["rows"][0]["total_bytes"].int == (try server.writtenBytes(in: server.usersOutput)))
            #expect(summary["rows"][0]["output_directory"].string == server.directory.file(server.usersOutput))
            #expect(try server.writtenLines(in: server.usersOutput).sorted() == UsersBody.lines(1...50).sorted())

            let again = try await session.finalize()
            #expect(again.status == 200)
            #expect(again.body == finalized.body)
            #expect(try await session.state().json["state"].string == "finalized")
        }
    }

    @Test func aFinalizedSessionRefusesBatchesAndAbort() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("discard", on: server)
            _ = try await session.batch(UsersBody.ndjson(1...3))
            #expect(try await session.finalize().status == 200)
            try expectProblem(try await session.batch(UsersBody.ndjson(4...5)), status: 409, slug: "session-closed")
            let refused = try await session.abort()
            try expectProblem(refused, status: 409, slug: "session-closed")
            #expect(try refused.json["session"].string == session.id)
            #expect(try await session.state().json["rows_written"].int == 3)
        }
    }

    @Test func abortRemovesTheFilesAndClosesTheSession() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("users", on: server)
            #expect(try await session.batch(UsersBody.ndjson(1...30)).status == 200)
            #expect(server.directory.files(in: server.usersOutput).isEmpty, "staged, not visible")
            #expect(server.directory.staged(in: server.usersOutput).count == 3)

            let aborted = try await session.abort()
            #expect(aborted.status == 200)
            #expect(try aborted.json["state"].string == "aborted")
            #expect(try aborted.json["reason"].string?.isEmpty == false)
            #expect(server.directory.allEntries(in: server.usersOutput).isEmpty)

            try expectProblem(try await session.batch(UsersBody.ndjson(31...32)), status: 409, slug: "session-closed")
            try expectProblem(try await session.finalize(), status: 409, slug: "session-closed")
            try expectProblem(try await session.abort(), status: 409, slug: "session-closed")
            #expect(try await session.state().json["state"].string == "aborted")
            #expect(server.directory.allEntries(in: server.usersOutput).isEmpty)
        }
    }

    @Test func unknownSessionsAndConnectorsAre404() async throws {
        try await TestServer.run { server in
            let missing = WriteSessionClient(client: server.client, sink: "users", id: "no-such-session")
            let unknown = try await missing.state()
            try expectProblem(unknown, status: 404, slug: "not-found")
            #expect(try unknown.json["session"].string == "no-such-session")
            try expectProblem(try await missing.batch(UsersBody.ndjson(1...2)), status: 404, slug: "not-found")
            try expectProblem(try await missing.finalize(), status: 404, slug: "not-found")
            try expectProblem(try await missing.abort(), status: 404, slug: "not-found")

            // A session belongs to its sink.
            let real = try await WriteSessionClient.open("users", on: server)
            let elsewhere = WriteSessionClient(client: server.client, sink: "discard", id: real.id)
            try expectProblem(try await elsewhere.state(), status: 404, slug: "not-found")

            let source = try await server.client.post("/v1/sinks/alice/writes")
            try expectProblem(source, status: 404, slug: "not-found")
            #expect(try source.json["detail"].string?.contains("is a source") == true)
            try expectProblem(try await server.client.post("/v1/sinks/nope", text: "", contentType: "application/x-ndjson"),
                              status: 404, slug: "not-found")
        }
    }

    @Test func theSeedsThousandUsersMakeAHundredFilesOfTen() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let upload = try await session.batch(UsersBody.ndjson(1...1000))
            #expect(upload.status == 200)
            #expect(try upload.json["results"].count == 100)
            let summary = try await session.finalize().json
            #expect(summary["rows"][0]["files_written"].int == 100)
            #expect(summary["rows"][0]["total_rows"].int == 1000)
            let bytes = try server.writtenBytes(in: server.usersOutput)
            #expect(bytes == 28_786)  // 1000 lines of {"id":i,"name":"User_i"}
            #expect(summary["rows"][0]["total_bytes"].int == bytes)

            let files = server.directory.files(in: server.usersOutput)
            #expect(files.count == 100)
            #expect(files.allSatisfy { $0.hasPrefix("users_") && $0.hasSuffix(".ndjson") })
            for file in files {
                let text = try String(contentsOfFile: server.directory.file(server.usersOutput) + "/" + file, encoding: .utf8)
                #expect(text.split(separator: "\n").count == 10, "\(file)")
            }
            #expect(try server.writtenLines(in: server.usersOutput).sorted() == UsersBody.lines(1...1000).sorted())
        }
    }

    @Test func oneShotIntoDiscardAndLocalFiles() async throws {
        try await TestServer.run { server in
            let discarded = try await server.client.post("/v1/sinks/discard", text: UsersBody.ndjson(1...100),
                                                         contentType: "application/x-ndjson")
            #expect(discarded.status == 200)
            let counts = try discarded.json
            #expect(counts["schema"].fieldList == ["total_rows: Int64", "total_bytes: Int64", "batches: Int64"])
            #expect(counts["rows"][0]["total_rows"].int == 100)

            let stored = try await server.client.post("/v1/sinks/users", text: UsersBody.csv(1...1000), contentType: "text/csv")
            #expect(stored.status == 200, "\(stored.text)")
            let summary = try stored.json
            #expect(summary["rows"][0]["files_written"].int == 100)
            #expect(summary["rows"][0]["total_rows"].int == 1000)
            #expect(summary["rows"][0]["total_bytes"].int == 28_786)
            #expect(server.directory.files(in: server.usersOutput).count == 100)
        }
    }

    @Test func oneShotLeavesNothingBehindOnABadBody() async throws {
        // Small batches: the sink has written files for the first rows when the bad one arrives.
        try await TestServer.run(configure: { $0.limits.batchRows = 10 }) { server in
            let body = UsersBody.ndjson(1...40) + "{\"id\":41,\"name\":}\n"
            let response = try await server.client.post("/v1/sinks/users", text: body, contentType: "application/x-ndjson")
            try expectProblem(response, status: 422, slug: "invalid-body")
            #expect(try response.json["errors"][0]["line"].int == 41)
            #expect(server.directory.allEntries(in: server.usersOutput).isEmpty)
        }
    }

    @Test func aFinalizeThatFailsKeepsTheSessionOpenForARetryOrAnAbort() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("refusing", on: server)
            #expect(try await session.batch(UsersBody.ndjson(1...10)).status == 200)
            let failed = try await session.finalize()
            try expectProblem(failed, status: 500, slug: "sink-failed")
            #expect(try failed.json["connector"].string == "refusing")
            // The acknowledged batches are kept: the session is open again, saying why.
            let state = try await session.state().json
            #expect(state["state"].string == "open" && state["batch_count"].int == 1)
            #expect(state["reason"].string?.contains("refused the commit") == true)
            try expectProblem(try await session.finalize(), status: 500, slug: "sink-failed")
            #expect(try await session.batch(UsersBody.ndjson(11...12)).status == 200)
            let aborted = try await session.abort()
            #expect(aborted.status == 200)
            #expect(try aborted.json["state"].string == "aborted")

            let oneShot = try await server.client.post("/v1/sinks/refusing", text: UsersBody.ndjson(1...3),
                                                       contentType: "application/x-ndjson")
            try expectProblem(oneShot, status: 500, slug: "sink-failed")
        }
    }
}

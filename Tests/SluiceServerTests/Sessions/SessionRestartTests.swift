import Foundation
import SluiceCore
import SluiceServer
import Testing

/// Write sessions across restarts of the server (same folder, same durable state store):
/// resume then finalize or abort, a finalize cut short, a sink removed or changed, a replay
/// after a restart. The crash itself (SIGKILL mid-upload) is `Tests/Crash`.
@Suite struct SessionRestartTests {
    /// The test config plus a sink whose options the tests change between runs.
    static func config(maxRowsPerFile: Int? = 100) -> String {
        guard let maxRowsPerFile else { return TestServer.extraConfig }
        return TestServer.extraConfig + """

              - name: ledger-files
                type: ndjson-files
                kind: sink
                options: {output_dir: ledger-output, max_rows_per_file: \(maxRowsPerFile)}
            """
    }

    /// Runs a server on `dir` that opens a session of `sink`, uploads `ids` and stops; the session's id.
    static func openSession(_ sink: String = "users", with ids: ClosedRange<Int>, in dir: TemporaryDirectory,
                            key: String? = nil, extraConfig: String = TestServer.extraConfig) async throws -> String {
        try await TestServer.run(in: dir, durableState: true, extraConfig: extraConfig) { server in
            let session = try await WriteSessionClient.open(sink, on: server)
            let headers = key.map { [("Idempotency-Key", $0)] } ?? []
            #expect(try await session.batch(UsersBody.ndjson(ids), headers: headers).status == 200)
            return session.id
        }
    }

    @Test func anOpenSessionIsResumedAfterARestartAndFinalizes() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let id = try await Self.openSession(with: 1...20, in: dir, key: "first")
        // What an upload cut off by a crash leaves: a staged file no acknowledged batch names.
        let stray = dir.file("sluice-output/.sluice-staging/\(id)/users_cut-off.ndjson")
        try UsersBody.ndjson(900...901).write(toFile: stray, atomically: true, encoding: .utf8)

        try await TestServer.run(in: dir, durableState: true) { server in
            let session = WriteSessionClient(client: server.client, sink: "users", id: id)
            let state = try await session.state().json
            #expect(state["state"].string == "open")
            #expect(state["batch_count"].int == 1 && state["rows_written"].int == 20)
            #expect(state["batches"][0]["idempotency_key"].string == "first")
            #expect(!FileManager.default.fileExists(atPath: stray), "the cut-off upload's file is removed at start")
            #expect(try await session.batch(UsersBody.ndjson(21...30)).status == 200)
            let summary = try await session.finalize()
            #expect(try summary.json["rows"][0]["total_rows"].int == 30)
            #expect(try server.writtenLines(in: server.usersOutput).sorted() == UsersBody.lines(1...30).sorted())
            #expect(server.directory.staged(in: server.usersOutput).isEmpty)
        }
    }

    @Test func anOpenSessionIsResumedAfterARestartAndAborted() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let id = try await Self.openSession(with: 1...20, in: dir)
        try await TestServer.run(in: dir, durableState: true) { server in
            let session = WriteSessionClient(client: server.client, sink: "users", id: id)
            let aborted = try await session.abort()
            #expect(aborted.status == 200)
            #expect(try aborted.json["state"].string == "aborted")
            #expect(server.directory.allEntries(in: server.usersOutput).isEmpty)
        }
    }

    @Test func aFinalizeCutShortIsCompletedAtStart() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let id = try await Self.openSession(with: 1...25, in: dir)
        // The crash came right after the record said `finalizing`.
        let store = try SQLiteWriteSessionStore(folder: dir.file("state"))
        var record = try #require(try await store.load(id))
        record.state = .finalizing
        try await store.save(record)
        store.close()

        try await TestServer.run(in: dir, durableState: true) { server in
            let session = WriteSessionClient(client: server.client, sink: "users", id: id)
            #expect(try await session.state().json["state"].string == "finalized")
            let summary = try await session.finalize()
            #expect(summary.status == 200)
            #expect(try summary.json["rows"][0]["total_rows"].int == 25)
            #expect(try server.writtenLines(in: server.usersOutput).sorted() == UsersBody.lines(1...25).sorted())
        }
    }

    @Test func aSinkWhoseConfigurationChangedEndsItsSessionsVisibly() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let id = try await Self.openSession("ledger-files", with: 1...5, in: dir, extraConfig: Self.config())
        try await TestServer.run(in: dir, durableState: true, extraConfig: Self.config(maxRowsPerFile: 7)) { server in
            let state = try await WriteSessionClient(client: server.client, sink: "ledger-files", id: id).state().json
            #expect(state["state"].string == "aborted")
            #expect(state["reason"].string?.contains("configuration of sink 'ledger-files' changed") == true)
            #expect(server.directory.allEntries(in: "ledger-output").isEmpty)
        }
    }

    @Test func aSinkRemovedFromTheConfigEndsItsSessions() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let id = try await Self.openSession("ledger-files", with: 1...5, in: dir, extraConfig: Self.config())
        try await TestServer.run(in: dir, durableState: true, extraConfig: Self.config(maxRowsPerFile: nil)) { server in
            let record = try #require(try await server.app.api.sessions.store.load(id))
            #expect(record.state == .aborted)
            #expect(record.reason?.contains("no longer configured") == true)
            let state = try await server.client.get("/v1/sinks/ledger-files/writes/\(id)").json
            #expect(state["state"].string == "aborted" && state["reason"].string?.contains("no longer configured") == true)
            try expectProblem(try await server.client.post("/v1/sinks/ledger-files/writes/\(id)/finalize"), status: 404, slug: "not-found")
        }
    }

    @Test func aBatchIsReplayedAfterARestart() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let body = UsersBody.ndjson(1...10)
        let (id, first) = try await TestServer.run(in: dir, durableState: true) { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let response = try await session.batch(body, headers: [("Idempotency-Key", "b-1")])
            #expect(response.status == 200)
            return (session.id, response.text)
        }
        try await TestServer.run(in: dir, durableState: true) { server in
            let session = WriteSessionClient(client: server.client, sink: "users", id: id)
            let again = try await session.batch(body, headers: [("Idempotency-Key", "b-1")])
            #expect(again.status == 200)
            #expect(again.header("Idempotent-Replayed") == "true")
            #expect(again.text == first)
            #expect(try await session.state().json["batch_count"].int == 1)
            #expect(try await session.finalize().status == 200)
            #expect(try server.writtenLines(in: server.usersOutput).sorted() == UsersBody.lines(1...10).sorted())
        }
    }
}

import Foundation
import Testing

/// Uploads that stream in slowly do not hold a sink's shared locks: into `sqlite`, three
/// uploads whose bodies are still arriving (two into one session, one into another) do not
/// stop each other, whichever finishes first.
@Suite struct ConcurrentSinkUploadTests {
    static let config = TestServer.extraConfig + """

          - name: ledger
            type: sqlite
            kind: sink
            options: {path: ledger.sqlite, table: entries}
        """

    @Test func threeSlowUploadsIntoSQLiteAllSucceed() async throws {
        try await TestServer.run(extraConfig: Self.config) { server in
            let one = try await WriteSessionClient.open("ledger", on: server)
            let two = try await WriteSessionClient.open("ledger", on: server)
            var uploads: [ChunkedUpload] = []
            for (n, session) in [one, one, two].enumerated() {
                let upload = try await ChunkedUpload.start(session.path + "/batches", port: server.port)
                try await upload.send(UsersBody.ndjson((n * 100 + 1)...(n * 100 + 50)))
                uploads.append(upload)
            }
            // Each is mid-body now. Finishing them last-first: with a write lock held across the
            // network read, the later ones would wait for the first (and time out).
            for (n, upload) in uploads.enumerated().reversed() {
                try await upload.send(UsersBody.ndjson((n * 100 + 51)...(n * 100 + 100)))
                let response = try await upload.finish()
                #expect(response.status == 200, "upload \(n): \(response.status) \(response.text)")
            }
            #expect(try await one.finalize().status == 200)
            let summary = try await two.finalize()
            #expect(try summary.json["rows"][0]["rows_written"].int == 100)
            let rows = try await server.client.get("/v1/sinks/ledger/writes/\(one.id)").json
            #expect(rows["rows_written"].int == 200 && rows["batch_count"].int == 2)
        }
    }
}

import Foundation
import Testing

/// The REST API over HTTP/2 cleartext (the engine's h2c): the same routes and answers as
/// over HTTP/1.1, through curl with prior knowledge and with the Upgrade dance.
@Suite struct HTTP2APITests {
    @Test func rowsStreamOverPriorKnowledgeWithTheRowCountTrailer() async throws {
        try await TestServer.run { server in
            let h1 = try await ProcessRunner.curl(["\(server.baseURL)/v1/sources/numbers/rows?limit=2000&columns=id,name,tags"])
            let h2 = try await ProcessRunner.curl(["--http2-prior-knowledge", "--raw", "--dump-header", "-",
                                                   "\(server.baseURL)/v1/sources/numbers/rows?limit=2000&columns=id,name,tags"])
            #expect(h1.status == 0 && h2.status == 0, "\(h2.stderr)")
            let text = h2.stdoutText
            #expect(text.hasPrefix("HTTP/2 200"))
            #expect(text.lowercased().contains("sluice-row-count: 2000"))
            #expect(text.contains(h1.stdoutText))
        }
    }

    @Test func uploadsAndFinalizeOverHTTP2() async throws {
        try await TestServer.run { server in
            let body = UsersBody.ndjson(1...300)
            let gzipped = try await ProcessRunner.gzip(Array(body.utf8))
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("h2-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let file = directory + "/users.ndjson.gz"
            try Data(gzipped).write(to: URL(fileURLWithPath: file))
            let oneShot = try await ProcessRunner.curl([
                "--http2-prior-knowledge", "-H", "Content-Type: application/x-ndjson", "-H", "Content-Encoding: gzip",
                "--data-binary", "@" + file, "\(server.baseURL)/v1/sinks/discard",
            ])
            let summary = try JSONSerialization.jsonObject(with: Data(oneShot.stdout)) as? [String: Any]
            let rows = summary?["rows"] as? [[String: Any]]
            #expect(rows?.first?["total_rows"] as? Int == 300, "\(oneShot.stdoutText) \(oneShot.stderr)")

            let bad = try await ProcessRunner.curl([
                "--http2-prior-knowledge", "-H", "Content-Type: application/x-ndjson", "--data-binary", "{\"id\":1}\n{\"id\":\n",
                "--write-out", "\n%{http_code}", "\(server.baseURL)/v1/sinks/discard",
            ])
            #expect(bad.stdoutText.hasSuffix("\n422"))
            #expect(bad.stdoutText.contains("urn:sluice:problem:invalid-body"))
        }
    }

    @Test func upgradeAndErrorsSpeakTheSameProblemFormat() async throws {
        try await TestServer.run { server in
            let upgraded = try await ProcessRunner.curl(["--http2", "--dump-header", "-", "\(server.baseURL)/v1/connectors/alice"])
            #expect(upgraded.stdoutText.contains("HTTP/1.1 101"))
            #expect(upgraded.stdoutText.contains("HTTP/2 200"))
            #expect(upgraded.stdoutText.contains("\"name\":\"alice\""))
            let missing = try await ProcessRunner.curl(["--http2-prior-knowledge", "--write-out", "\n%{http_code}",
                                                        "\(server.baseURL)/v1/sources/nope/rows"])
            #expect(missing.stdoutText.hasSuffix("\n404"))
            #expect(missing.stdoutText.contains("urn:sluice:problem:not-found"))
        }
    }
}

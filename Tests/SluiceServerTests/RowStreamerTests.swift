import Foundation
import Testing

/// Streaming rows through `RowStreamer` end to end: a large stream arrives whole with its
/// trailer, and a source that fails part way makes the response visibly incomplete (no
/// terminating chunk) for every client, curl included.
@Suite struct RowStreamerTests {
    /// Two of the five columns: full rows take several times as long in a debug build, all of
    /// it spent encoding strings, floats and lists on the server (checked on a filter below).
    @Test func streamsAMillionRangeRowsWithTheTrailer() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/sources/numbers/rows?columns=id,active")
            #expect(response.status == 200)
            #expect(response.isChunked && response.isComplete)
            #expect(response.newlineCount == 1_000_000)
            #expect(response.trailer("Sluice-Row-Count") == "1000000")
            // Only the ends are split out of the body.
            let first = response.body.prefix { $0 != 0x0A }
            #expect(String(decoding: first, as: UTF8.self) == #"{"id":1,"active":true}"#)
            let lastStart = (response.body.dropLast().lastIndex(of: 0x0A) ?? -1) + 1
            #expect(String(decoding: response.body[lastStart...], as: UTF8.self)
                == #"{"id":1000000,"active":true}"# + "\n")
        }
    }

    @Test(.disabled(if: ProcessInfo.processInfo.environment["SLUICE_SANITIZER"] == "thread",
                    "the benchmark's full stream within the client's 60 s: ThreadSanitizer slows it past that"))
    func fullRangeRowsAsTheBenchmarkGeneratesThem() async throws {
        try await TestServer.run { server in
            // Rows as the `range` benchmark rows are: id 1, and 999999 and 1000000 (score 0).
            let query = "?where=" + queryEncoded("id IN (1, 999999, 1000000)")
            let response = try await server.client.get("/v1/sources/numbers/rows" + query)
            #expect(response.lines == [
                #"{"id":1,"name":"User_1","score":0.7919,"active":true,"tags":["b","c"]}"#,
                #"{"id":999999,"name":"User_999999","score":0.2081,"active":false,"tags":["h"]}"#,
                #"{"id":1000000,"name":"User_1000000","score":0.0,"active":true,"tags":["a","b"]}"#,
            ])
        }
    }

    @Test func aLimitStopsAMillionRowStreamEarly() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/sources/numbers/rows?columns=id&limit=3")
            #expect(response.lines == [#"{"id":1}"#, #"{"id":2}"#, #"{"id":3}"#])
            #expect(response.trailer("Sluice-Row-Count") == "3")
        }
    }

    @Test func aSourceFailingMidStreamLeavesTheBodyIncomplete() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/sources/flaky/rows")
            #expect(response.status == 200)
            #expect(response.isChunked)
            #expect(!response.isComplete, "the terminating chunk must not be sent")
            #expect(response.trailer("Sluice-Row-Count") == nil)
            // Whatever arrived is whole rows of the batches before the failure, in order.
            let rows = response.lines
            #expect(rows.count <= 3000)
            #expect(rows == (1...rows.count).map { #"{"id":\#($0)}"# })

            // The server is still fine afterwards.
            let next = try await server.client.get("/v1/sources/alice/rows")
            #expect(next.status == 200 && next.isComplete)
        }
    }

    @Test func curlSeesAFailingSourceAsAnError() async throws {
        try await TestServer.run { server in
            let failed = try await ProcessRunner.curl([server.baseURL + "/v1/sources/flaky/rows"])
            // 18: "transfer closed with outstanding read data remaining".
            #expect(failed.status == 18, "curl: \(failed.stderr)")
            #expect(failed.stderr.contains("transfer closed"))

            let fine = try await ProcessRunner.curl(["--fail", server.baseURL + "/v1/sources/alice/rows"])
            #expect(fine.status == 0, "curl: \(fine.stderr)")
            #expect(fine.stdoutText.split(separator: "\n").count == 5)
        }
    }

    @Test func aSourceFailingMidTaskListAbortsAParallelTaskRead() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/sources/flaky/tasks/0/rows?format=csv")
            #expect(response.status == 200 && !response.isComplete)
            #expect(response.lines.first == "id")
        }
    }

    @Test func aLimitReachedBeforeTheFailureGivesACompleteStream() async throws {
        try await TestServer.run { server in
            // The failure comes after 3 batches of 1000: a limit inside the first batch never reaches it.
            let response = try await server.client.get("/v1/sources/flaky/rows?limit=1500")
            #expect(response.status == 200 && response.isComplete)
            #expect(response.newlineCount == 1500)
            #expect(response.trailer("Sluice-Row-Count") == "1500")
        }
    }
}

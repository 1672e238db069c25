import Testing

/// `GET /v1/sources/{name}/rows`: the rows, the query parameters, content negotiation, the
/// row-count trailer and every error.
@Suite struct SourceRoutesTests {
    /// The seed guide's sample file, line by line.
    static let aliceLines = [
        "Alice was beginning to get very tired of sitting by her sister on the bank.",
        "So she was considering in her own mind (as well as she could, for the hot day made her feel very sleepy and stupid),",
        "when suddenly a White Rabbit with pink eyes ran close by her.",
        "There was nothing so very remarkable in that;",
        "nor did Alice think it so very much out of the way to hear the Rabbit say to itself, 'Oh dear! Oh dear! I shall be late!'",
    ]

    @Test func streamsTheSeedsFiveAliceRows() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/sources/alice/rows")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/x-ndjson")
            #expect(response.header("Trailer") == "Sluice-Row-Count")
            #expect(response.isChunked && response.isComplete)
            #expect(response.lines == Self.aliceLines.map { "{\"line\":\"\($0)\"}" })
            #expect(try response.lines.map { try JSON(parsing: $0)["line"].string } == Self.aliceLines)
            #expect(response.trailer("Sluice-Row-Count") == "5")
        }
    }

    @Test func columnsChooseAndOrderTheOutput() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/sources/small/rows?columns=name,id&limit=3")
            #expect(response.status == 200)
            #expect(response.lines == [#"{"name":"User_1","id":1}"#, #"{"name":"User_2","id":2}"#, #"{"name":"User_3","id":3}"#])
            #expect(response.trailer("Sluice-Row-Count") == "3")
        }
    }

    @Test func whereFiltersRowsAcrossTasks() async throws {
        try await TestServer.run { server in
            let tail = try await server.client.get("/v1/sources/small/rows?columns=id&where=" + queryEncoded("id > 95"))
            #expect(tail.lines == (96...100).map { #"{"id":\#($0)}"# })
            #expect(tail.trailer("Sluice-Row-Count") == "5")

            let picked = try await server.client.get(
                "/v1/sources/small/rows?columns=id,active&where=" + queryEncoded("name IN ('User_3', 'User_40') OR (id >= 99 AND NOT active)"))
            #expect(picked.lines == [#"{"id":3,"active":false}"#, #"{"id":40,"active":true}"#, #"{"id":99,"active":false}"#])

            let none = try await server.client.get("/v1/sources/alice/rows?where=" + queryEncoded("line = 'nothing like this'"))
            #expect(none.status == 200 && none.isComplete && none.body.isEmpty)
            #expect(none.trailer("Sluice-Row-Count") == "0")
        }
    }

    @Test func limitCountsRowsAcrossTasksInTaskOrder() async throws {
        try await TestServer.run { server in
            // 100 rows in 3 tasks of 34, 33 and 33: the limit reaches into the second task.
            let response = try await server.client.get("/v1/sources/small/rows?columns=id&limit=40")
            #expect(response.lines == (1...40).map { #"{"id":\#($0)}"# })
            #expect(response.trailer("Sluice-Row-Count") == "40")
            let zero = try await server.client.get("/v1/sources/small/rows?limit=0")
            #expect(zero.status == 200 && zero.body.isEmpty && zero.trailer("Sluice-Row-Count") == "0")
        }
    }

    @Test func csvByFormatParameterOrAccept() async throws {
        try await TestServer.run { server in
            let byFormat = try await server.client.get("/v1/sources/small/rows?columns=id,name&limit=2&format=csv")
            #expect(byFormat.status == 200)
            #expect(byFormat.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(byFormat.text == "id,name\n1,User_1\n2,User_2\n")
            #expect(byFormat.trailer("Sluice-Row-Count") == "2")

            let byAccept = try await server.client.get("/v1/sources/alice/rows", headers: [("Accept", "text/csv")])
            #expect(byAccept.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(byAccept.lines.count == 6)
            #expect(byAccept.lines.first == "line")
            #expect(byAccept.lines[1] == Self.aliceLines[0])
            #expect(byAccept.lines[2] == "\"" + Self.aliceLines[1] + "\"")  // it has commas: quoted

            // format= wins over Accept.
            let overridden = try await server.client.get("/v1/sources/alice/rows?format=ndjson", headers: [("Accept", "text/csv")])
            #expect(overridden.header("Content-Type") == "application/x-ndjson")
        }
    }

    @Test func acceptThatAllowsNothingWeHaveIs406() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/sources/alice/rows", headers: [("Accept", "image/png")])
            try expectProblem(response, status: 406, slug: "not-acceptable")
            let ndjsonRefused = try await server.client.get("/v1/sources/alice/rows",
                                                            headers: [("Accept", "application/x-ndjson;q=0, text/html")])
            #expect(ndjsonRefused.status == 406)
        }
    }

    @Test func gzipWhenTheClientAcceptsIt() async throws {
        try await TestServer.run { server in
            let plain = try await server.client.get("/v1/sources/small/rows")
            let zipped = try await server.client.get("/v1/sources/small/rows", headers: [("Accept-Encoding", "gzip")])
            #expect(zipped.status == 200 && zipped.isComplete)
            #expect(zipped.header("Content-Encoding") == "gzip")
            let inflated = try await ProcessRunner.run("/usr/bin/gzip", ["-dc"], stdin: zipped.body)
            #expect(inflated.status == 0)
            #expect(inflated.stdout == plain.body)
            #expect(zipped.trailer("Sluice-Row-Count") == "100")
        }
    }

    @Test func badWhereIs400WithThePosition() async throws {
        try await TestServer.run { server in
            let where_ = "id > 5 AND AND active"
            let response = try await server.client.get("/v1/sources/small/rows?where=" + queryEncoded(where_))
            try expectProblem(response, status: 400, slug: "invalid-expression")
            let problem = try response.json
            #expect(problem["parameter"].string == "where")
            let position = try #require(problem["position"].int)
            #expect(position == 11 || position == 12, "position \(position) should point at the second AND")

            let unclosed = try await server.client.get("/v1/sources/small/rows?where=" + queryEncoded("name = 'open"))
            try expectProblem(unclosed, status: 400, slug: "invalid-expression")
            #expect(try unclosed.json["position"].int != nil)

            let mistyped = try await server.client.get("/v1/sources/small/rows?where=" + queryEncoded("id = 'seven'"))
            #expect(mistyped.status == 400)
        }
    }

    @Test func unknownColumnIs400() async throws {
        try await TestServer.run { server in
            let inWhere = try await server.client.get("/v1/sources/small/rows?where=" + queryEncoded("colour = 'red'"))
            try expectProblem(inWhere, status: 400, slug: "unknown-column")
            #expect(try inWhere.json["column"].string == "colour")

            let inColumns = try await server.client.get("/v1/sources/small/rows?columns=id,colour")
            #expect(inColumns.status == 400)
            #expect(inColumns.header("Content-Type") == "application/problem+json")
            #expect(try inColumns.json["detail"].string?.contains("colour") == true)
        }
    }

    @Test(arguments: ["limit=-1", "limit=ten", "limit=1.5", "limit="])
    func badLimitIs400(_ query: String) async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/sources/small/rows?" + query)
            try expectProblem(response, status: 400, slug: "invalid-parameter")
            #expect(try response.json["parameter"].string == "limit")
        }
    }

    @Test func unknownOrRepeatedParameterIs400() async throws {
        try await TestServer.run { server in
            let unknown = try await server.client.get("/v1/sources/small/rows?colums=id")
            try expectProblem(unknown, status: 400, slug: "invalid-parameter")
            #expect(try unknown.json["parameter"].string == "colums")

            let repeated = try await server.client.get("/v1/sources/small/rows?limit=1&limit=2")
            try expectProblem(repeated, status: 400, slug: "invalid-parameter")

            let badFormat = try await server.client.get("/v1/sources/small/rows?format=xml")
            try expectProblem(badFormat, status: 400, slug: "invalid-parameter")
        }
    }

    @Test func sinkNameOrUnknownNameIs404() async throws {
        try await TestServer.run { server in
            let sink = try await server.client.get("/v1/sources/users/rows")
            try expectProblem(sink, status: 404, slug: "not-found")
            #expect(try sink.json["detail"].string?.contains("is a sink") == true)
            #expect(try sink.json["connector"].string == "users")

            let unknown = try await server.client.get("/v1/sources/nope/rows")
            try expectProblem(unknown, status: 404, slug: "not-found")
            let tasks = try await server.client.get("/v1/sources/discard/tasks")
            try expectProblem(tasks, status: 404, slug: "not-found")
        }
    }

    @Test func headAnswersTheHeadersWithoutRows() async throws {
        try await TestServer.run { server in
            let response = try await server.client.send("HEAD", "/v1/sources/alice/rows")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/x-ndjson")
            #expect(response.body.isEmpty)
        }
    }

    @Test func aSourceFailingBeforeItsFirstRowIsASourceFailedProblem() async throws {
        try await TestServer.run { server in
            for path in ["/v1/sources/unlisted/rows", "/v1/sources/unlisted/tasks", "/v1/sources/unlisted/tasks/0/rows"] {
                let response = try await server.client.get(path)
                try expectProblem(response, status: 500, slug: "source-failed")
                #expect(try response.json["connector"].string == "unlisted")
                #expect(try response.json["detail"].string?.contains("unreachable") == true)
            }
        }
    }

    /// A client that leaves mid-stream is not a failing source: it is logged at info level
    /// with the bytes sent, and no error is logged.
    @Test func aClientLeavingMidStreamIsLoggedAsADisconnect() async throws {
        let logs = LogCapture()
        try await TestServer.run(logHandler: logs.handler) { server in
            let port = server.port
            try await onOwnThread {
                let socket = try LoopbackSocket(port: port)
                socket.send(Array("GET /v1/sources/numbers/rows HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
                let received = try socket.read(atLeast: 200_000)
                #expect(received.count >= 200_000)
                socket.reset()
            }
            try await eventually("the disconnect is logged") { logs.text.contains("client disconnected mid-stream") }
        }
        let line = logs.text.split(separator: "\n").first { $0.contains("client disconnected mid-stream") } ?? ""
        #expect(line.hasPrefix("info "), "\(line)")
        #expect(line.contains("source=numbers") && line.contains("bytes_sent="), "\(line)")
        #expect(!logs.text.contains("source failed mid-stream"), "\(logs.text)")
    }
}

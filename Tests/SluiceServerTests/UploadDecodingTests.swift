import Testing
import SluiceServer

/// Upload bodies (`Uploads/`): content types, the body limit, and atomic validation (a bad
/// row anywhere → 422 with located errors and nothing written).
@Suite struct UploadDecodingTests {
    @Test(arguments: ["text/plain", "application/xml", "application/x-www-form-urlencoded"])
    func unsupportedContentTypeIs415(_ contentType: String) async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let response = try await session.batch(UsersBody.ndjson(1...3), contentType: contentType)
            try expectProblem(response, status: 415, slug: "unsupported-media-type")
            let oneShot = try await server.client.post("/v1/sinks/discard", text: UsersBody.ndjson(1...3), contentType: contentType)
            try expectProblem(oneShot, status: 415, slug: "unsupported-media-type")
            #expect(try await session.state().json["batch_count"].int == 0)
            #expect(server.directory.allEntries(in: server.usersOutput).isEmpty)
        }
    }

    @Test func jsonlParametersAndNDJSONAsJSONAreAccepted() async throws {
        try await TestServer.run { server in
            for contentType in ["application/jsonl", "application/x-ndjson; charset=utf-8", "text/csv; header=present",
                                "application/json"] {
                let body = contentType.hasPrefix("text/csv") ? UsersBody.csv(1...4) : UsersBody.ndjson(1...4)
                let response = try await server.client.post("/v1/sinks/discard", text: body, contentType: contentType)
                #expect(response.status == 200, "\(contentType): \(response.text)")
                #expect(try response.json["rows"][0]["total_rows"].int == 4)
            }
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        try await TestServer.run(configure: { $0.limits.maxUploadBytes = 1024 }) { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let large = UsersBody.ndjson(1...200)  // about 5.6 KB
            let declared = try await session.batch(large)
            #expect(declared.status == 413)
            #expect(declared.header("Content-Type") == "application/problem+json")
            // Refused on its Content-Length or while inflating: the same limit, named with its setting.
            #expect(try declared.json["detail"].string?.contains("limit of 1024 bytes") == true, "\(declared.text)")
            #expect(try declared.json["detail"].string?.contains("--max-upload-mib sets it") == true, "\(declared.text)")
            // Compressed it fits in the limit, inflated it does not.
            let zipped = try await ProcessRunner.gzip(Array(large.utf8))
            #expect(zipped.count < 1024)
            let inflated = try await session.batch(bytes: zipped, contentType: "application/x-ndjson",
                                                   headers: [("Content-Encoding", "gzip")])
            try expectProblem(inflated, status: 413, slug: "content-too-large")
            #expect(try inflated.json["detail"].string?.contains("--max-upload-mib sets it") == true, "\(inflated.text)")
            let oneShot = try await server.client.post("/v1/sinks/users", text: large, contentType: "application/x-ndjson")
            #expect(oneShot.status == 413)
            let array = try await ProcessRunner.gzip(Array(UsersBody.jsonArray(1...200).utf8))
            let wholeJSON = try await session.batch(bytes: array, contentType: "application/json",
                                                    headers: [("Content-Encoding", "gzip")])
            try expectProblem(wholeJSON, status: 413, slug: "content-too-large")

            let state = try await session.state().json
            #expect(state["batch_count"].int == 0 && state["rows_written"].int == 0)
            #expect(server.directory.allEntries(in: server.usersOutput).isEmpty)
            #expect(try await session.batch(UsersBody.ndjson(1...10)).status == 200)
        }
    }

    @Test func aBadRowIs422WithItsLocationAndNothingIsWritten() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let body = #"{"id":1,"name":"User_1"}"# + "\n" + #"{"id":2,"name":"User_2",}"# + "\n" + #"{"id":3,"name":"User_3"}"# + "\n"
            let response = try await session.batch(body)
            try expectProblem(response, status: 422, slug: "invalid-body")
            let errors = try #require(try response.json["errors"].array)
            #expect(errors.count == 1)
            #expect(errors[0]["line"].int == 2)
            #expect((errors[0]["column"].int ?? 0) >= 20)
            #expect(errors[0]["message"].string?.isEmpty == false)

            #expect(server.directory.allEntries(in: server.usersOutput).isEmpty)
            let state = try await session.state().json
            #expect(state["state"].string == "open")
            #expect(state["batch_count"].int == 0 && state["rows_written"].int == 0 && state["bytes_written"].int == 0)
        }
    }

    @Test func aBadRowAfterSeveralDecodedBatchesStillWritesNothing() async throws {
        // Small batches: the sink has written files for the first rows when the bad one arrives.
        try await TestServer.run(configure: { $0.limits.batchRows = 10 }) { server in
            let session = try await WriteSessionClient.open("users", on: server)
            let body = UsersBody.ndjson(1...500) + "{\"id\":501,\"name\":\"User_501\"\n" + UsersBody.ndjson(502...600)
            let response = try await session.batch(body)
            try expectProblem(response, status: 422, slug: "invalid-body")
            #expect(try response.json["errors"][0]["line"].int == 501)
            #expect(server.directory.allEntries(in: server.usersOutput).isEmpty)
            #expect(try await session.state().json["rows_written"].int == 0)

            // The session is still usable, and finalize sees only the good upload.
            #expect(try await session.batch(UsersBody.ndjson(1...20)).status == 200)
            #expect(try await session.finalize().json["rows"][0]["total_rows"].int == 20)
        }
    }

    @Test func rowsAreValidatedAgainstTheSinksInputSchema() async throws {
        try await TestServer.run { server in
            let session = try await WriteSessionClient.open("people", on: server)
            let body = UsersBody.ndjson(1...2) + #"{"id":"three","name":"User_3"}"# + "\n" + #"{"id":4,"name":null}"# + "\n"
            let response = try await session.batch(body)
            try expectProblem(response, status: 422, slug: "invalid-body")
            let errors = try #require(try response.json["errors"].array)
            #expect(errors.first?["line"].int == 3)
            #expect(errors.first?["field"].string == "id")
            #expect(server.directory.allEntries(in: "people-output").isEmpty)

            let csv = try await session.batch("id,name\n1,Ada\nx,Bob\n", contentType: "text/csv")
            try expectProblem(csv, status: 422, slug: "invalid-body")
            #expect(try csv.json["errors"][0]["line"].int == 3)

            #expect(try await session.batch(UsersBody.csv(1...5), contentType: "text/csv").status == 200)
            #expect(try await session.finalize().status == 200)
            #expect(try server.writtenLines(in: "people-output").sorted() == UsersBody.lines(1...5).sorted())
        }
    }

    @Test func aJSONArrayThatIsNotObjectsIs422() async throws {
        try await TestServer.run { server in
            let response = try await server.client.post("/v1/sinks/discard", text: "[1, 2, 3]", contentType: "application/json")
            try expectProblem(response, status: 422, slug: "invalid-body")
            #expect(try response.json["errors"].count >= 1)
        }
    }

    @Test func badRowsInSeveralPiecesDecodedInParallelKeepTheirLinesInOrder() async throws {
        // batchRows 10 cuts the body into pieces of ten lines, decoded at the same time.
        try await TestServer.run(configure: { $0.limits.batchRows = 10 }) { server in
            let bad = { (id: Int) in "{\"id\":\(id),\"name\":}\n" }
            let body = UsersBody.ndjson(1...14) + bad(15) + UsersBody.ndjson(16...22) + bad(23) + bad(24) + UsersBody.ndjson(25...40)
            let response = try await server.client.post("/v1/sinks/users", text: body, contentType: "application/x-ndjson")
            try expectProblem(response, status: 422, slug: "invalid-body")
            let lines = try #require(try response.json["errors"].array).compactMap { $0["line"].int }
            #expect(lines == [15, 23, 24])
            #expect(server.directory.allEntries(in: server.usersOutput).isEmpty)
        }
    }
}

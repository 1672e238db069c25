import Testing

/// `GET /v1/connectors` and `GET /v1/connectors/{name}` over a real socket.
@Suite struct ConnectorRoutesTests {
    @Test func listsEveryConnectorInConfigurationOrder() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/connectors")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let connectors = try #require(try response.json["connectors"].array)
            #expect(connectors.compactMap { $0["name"].string }
                == ["alice", "numbers", "events", "cities", "users", "discard", "small", "flaky", "unlisted", "refusing", "people"])
            #expect(connectors.compactMap { $0["kind"].string }
                == ["source", "source", "source", "source", "sink", "sink", "source", "source", "source", "sink", "sink"])
            #expect(connectors[7]["type"].string == "failing-source")
        }
    }

    @Test func describesASource() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/connectors/alice")
            #expect(response.status == 200)
            let alice = try response.json
            #expect(alice["name"].string == "alice")
            #expect(alice["kind"].string == "source")
            #expect(alice["type"].string == "text-file")
            #expect(alice["description"].string == "Five lines of Alice in Wonderland (the sample text of Daft's custom-connector guide), one row per line")
            #expect(alice["schema"].fieldList == ["line: String"])
            #expect(alice["schema"][0]["nullable"].bool == false)
            #expect(alice["links"]["self"].string == "/v1/connectors/alice")
            #expect(alice["links"]["rows"].string == "/v1/sources/alice/rows")
            #expect(alice["links"]["tasks"].string == "/v1/sources/alice/tasks")
            #expect(!alice["summary_schema"].exists)

            let numbers = try await server.client.get("/v1/connectors/numbers").json
            #expect(numbers["schema"].fieldList
                == ["id: Int64", "name: String", "score: Float64", "active: Bool", "tags: List[String]"])
        }
    }

    @Test func describesASinkWithAndWithoutAnInputSchema() async throws {
        try await TestServer.run { server in
            let users = try await server.client.get("/v1/connectors/users").json
            #expect(users["kind"].string == "sink")
            #expect(users["type"].string == "local-files")
            #expect(users["summary_schema"].fieldList
                == ["files_written: Int64", "total_rows: Int64", "total_bytes: Int64", "output_directory: String"])
            #expect(users["input_schema"].isNull)
            #expect(users["links"]["self"].string == "/v1/connectors/users")
            #expect(users["links"]["writes"].string == "/v1/sinks/users/writes")
            #expect(users["links"]["one_shot"].string == "/v1/sinks/users")
            #expect(!users["schema"].exists)

            let people = try await server.client.get("/v1/connectors/people").json
            #expect(people["type"].string == "ndjson-files")
            #expect(people["input_schema"].fieldList == ["id: Int64", "name: String"])
        }
    }

    @Test func unknownConnectorIsAProblem404() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/connectors/nope")
            try expectProblem(response, status: 404, slug: "not-found")
            #expect(try response.json["connector"].string == "nope")
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await TestServer.run { server in
            let response = try await server.client.delete("/v1/connectors")
            #expect(response.status == 405)
            #expect(response.header("Allow")?.contains("GET") == true)
            #expect(response.header("Content-Type") == "application/problem+json")
        }
    }
}

import Testing

/// `GET /v1/sources/{name}/tasks` and `GET /v1/sources/{name}/tasks/{task}/rows`: the task
/// list a parallel reader starts from, and each task's own rows.
@Suite struct SourceTaskRoutesTests {
    @Test func listsTasksWithoutPushdowns() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get("/v1/sources/numbers/tasks")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let document = try response.json
            #expect(document["source"].string == "numbers")
            #expect(document["schema"].fieldList
                == ["id: Int64", "name: String", "score: Float64", "active: Bool", "tags: List[String]"])
            #expect(document["pushdowns"]["columns"].isNull)
            #expect(document["pushdowns"]["where"].isNull)
            #expect(document["pushdowns"]["limit"].isNull)
            let tasks = try #require(document["tasks"].array)
            #expect(tasks.map { $0["index"].int } == [0, 1, 2, 3])
            #expect(tasks.map { $0["rows_url"].string } == (0..<4).map { "/v1/sources/numbers/tasks/\($0)/rows" })
        }
    }

    @Test func taskURLsCarryThePushdowns() async throws {
        try await TestServer.run { server in
            let response = try await server.client.get(
                "/v1/sources/small/tasks?columns=id&where=" + queryEncoded("id > 5") + "&limit=10")
            let document = try response.json
            #expect(document["schema"].fieldList == ["id: Int64"])
            #expect(document["pushdowns"]["columns"].array?.map(\.string) == ["id"])
            #expect(document["pushdowns"]["where"].string == "id > 5")
            #expect(document["pushdowns"]["limit"].int == 10)
            let urls = try #require(document["tasks"].array).compactMap { $0["rows_url"].string }
            #expect(urls == (0..<3).map { "/v1/sources/small/tasks/\($0)/rows?columns=id&where=id%20%3E%205&limit=10" })

            // Each task applies the pushdowns alone: the limit is per task. The tasks hold
            // ids 1...34, 35...67 and 68...100.
            var rowsByTask: [[String]] = []
            for url in urls {
                let rows = try await server.client.get(url)
                #expect(rows.status == 200 && rows.isComplete)
                #expect(rows.trailer("Sluice-Row-Count") == "10")
                rowsByTask.append(rows.lines)
            }
            #expect(rowsByTask == [Array(6...15), Array(35...44), Array(68...77)].map { $0.map { #"{"id":\#($0)}"# } })
        }
    }

    @Test func tasksReadInParallelGiveTheSameRowsAsRows() async throws {
        try await TestServer.run { server in
            for query in ["", "?where=" + queryEncoded("active AND (id < 20 OR id > 90) OR name = 'User_50'")] {
                let whole = try await server.client.get("/v1/sources/small/rows" + query)
                #expect(whole.status == 200 && whole.isComplete)
                let urls = try #require(try await server.client.get("/v1/sources/small/tasks" + query).json["tasks"].array)
                    .compactMap { $0["rows_url"].string }
                #expect(urls.count == 3)
                let client = server.client
                let parts = try await withThrowingTaskGroup(of: (Int, HTTPTestResponse).self) { group in
                    for (index, url) in urls.enumerated() {
                        group.addTask { (index, try await client.get(url)) }
                    }
                    var byIndex: [Int: HTTPTestResponse] = [:]
                    for try await (index, response) in group { byIndex[index] = response }
                    return (0..<urls.count).map { byIndex[$0]! }
                }
                #expect(parts.allSatisfy { $0.status == 200 && $0.isComplete })
                let together = parts.flatMap(\.lines)
                #expect(together.sorted() == whole.lines.sorted())
                // /rows keeps each task's rows in order and the tasks in index order.
                #expect(together == whole.lines)
                let counts = parts.compactMap { $0.trailer("Sluice-Row-Count").flatMap { Int($0) } }
                #expect(counts.reduce(0, +) == whole.lines.count)
            }
        }
    }

    @Test func parallelTasksOfAFilteredMillionRowSourceMatchRows() async throws {
        try await TestServer.run { server in
            let query = "?columns=id,name&where=" + queryEncoded("id <= 1000 OR id > 999000 OR id IN (250001, 500001, 750001)")
            let whole = try await server.client.get("/v1/sources/numbers/rows" + query)
            #expect(whole.trailer("Sluice-Row-Count") == "2003")
            let client = server.client
            let parts = try await withThrowingTaskGroup(of: [String].self) { group in
                for index in 0..<4 { group.addTask { try await client.get("/v1/sources/numbers/tasks/\(index)/rows" + query).lines } }
                var all: [String] = []
                for try await lines in group { all += lines }
                return all
            }
            #expect(parts.count == 2003)
            #expect(parts.sorted() == whole.lines.sorted())
        }
    }

    @Test func taskIndexOutOfRangeIs404AndANonNumberIs400() async throws {
        try await TestServer.run { server in
            let beyond = try await server.client.get("/v1/sources/small/tasks/3/rows")
            try expectProblem(beyond, status: 404, slug: "not-found")
            let far = try await server.client.get("/v1/sources/alice/tasks/99999999999/rows")
            try expectProblem(far, status: 404, slug: "not-found")
            let word = try await server.client.get("/v1/sources/small/tasks/first/rows")
            try expectProblem(word, status: 400, slug: "invalid-parameter")
            let negative = try await server.client.get("/v1/sources/small/tasks/-1/rows")
            #expect(negative.status == 400)
        }
    }

    @Test func taskRouteChecksItsQueryLikeRows() async throws {
        try await TestServer.run { server in
            let bad = try await server.client.get("/v1/sources/small/tasks/0/rows?where=" + queryEncoded("id >"))
            try expectProblem(bad, status: 400, slug: "invalid-expression")
            let badList = try await server.client.get("/v1/sources/small/tasks?limit=x")
            try expectProblem(badList, status: 400, slug: "invalid-parameter")
            let csv = try await server.client.get("/v1/sources/small/tasks/2/rows?columns=id&limit=2", headers: [("Accept", "text/csv")])
            #expect(csv.text == "id\n68\n69\n")
        }
    }
}

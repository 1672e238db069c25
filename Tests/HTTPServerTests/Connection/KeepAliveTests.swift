import Testing
@testable import HTTPServer

@Suite struct KeepAliveTests {
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try startServer(testRouter())
        let port = server.port
        let texts = try await blocking { () -> [String] in
            let client = try RawClient(port: port)
            var batch = ""
            for i in 0..<20 {
                batch += i % 2 == 0
                    ? "GET /items/\(i) HTTP/1.1\r\nHost: x\r\n\r\n"
                    : "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: \(String(i).count + 5)\r\n\r\necho-\(i)"
            }
            try client.send(batch)
            return try (0..<20).map { _ in try client.readResponse().text }
        }
        #expect(texts == (0..<20).map { $0 % 2 == 0 ? "item \($0)" : "echo-\($0)" })
        await server.shutdown()
    }

    @Test func connectionCloseIsHonoured() async throws {
        let server = try startServer(testRouter())
        let port = server.port
        let (response, closed) = try await blocking {
            let client = try RawClient(port: port)
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return (try client.readResponse(), try client.isClosedByServer())
        }
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(closed)
        await server.shutdown()
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() async throws {
        let server = try startServer(testRouter())
        let port = server.port
        let (first, closedAfterPlain, second) = try await blocking {
            let plain = try RawClient(port: port)
            try plain.send("GET /hello HTTP/1.0\r\n\r\n")
            let first = try plain.readResponse()
            let closed = try plain.isClosedByServer()
            let keep = try RawClient(port: port)
            try keep.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            _ = try keep.readResponse()
            return (first, closed, try keep.readResponse())
        }
        #expect(first.status == 200)
        #expect(closedAfterPlain)
        #expect(second.header("Connection") == "keep-alive")
        await server.shutdown()
    }

    @Test func maximumRequestsPerConnection() async throws {
        let server = try startServer(testRouter()) { $0.maxRequestsPerConnection = 3 }
        let port = server.port
        let (responses, closed) = try await blocking {
            let client = try RawClient(port: port)
            try client.send(String(repeating: "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", count: 3))
            let responses = try (0..<3).map { _ in try client.readResponse() }
            return (responses, try client.isClosedByServer())
        }
        #expect(responses.map(\.status) == [200, 200, 200])
        #expect(responses[2].header("Connection") == "close")
        #expect(closed)
        await server.shutdown()
    }

    @Test func anUnreadBodyIsDrainedAndTheConnectionKept() async throws {
        let server = try startServer(testRouter())
        let port = server.port
        let texts = try await blocking { () -> [String] in
            let client = try RawClient(port: port)
            let body = String(repeating: "z", count: 100_000)
            try client.send("POST /nothing HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n" + body + "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            return try [client.readResponse().status.description, client.readResponse().text]
        }
        #expect(texts == ["404", "hello\n"])
        await server.shutdown()
    }

    @Test func aBodyOverTheDrainLimitClosesTheConnection() async throws {
        let server = try startServer(testRouter()) { $0.drainLimit = 1000 }
        let port = server.port
        let (response, closed) = try await blocking {
            let client = try RawClient(port: port)
            try client.send("POST /nothing HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n")
            return (try client.readResponse(), try client.isClosedByServer())
        }
        #expect(response.status == 404)
        #expect(response.header("Connection") == "close")
        #expect(closed)
        await server.shutdown()
    }

    @Test func manyConcurrentConnections() async throws {
        let server = try startServer(testRouter())
        let port = server.port
        let ok = try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    try await blocking {
                        var clients: [RawClient] = []
                        for _ in 0..<50 { clients.append(try RawClient(port: port)) }
                        var ok = 0
                        for round in 0..<3 {
                            for (i, client) in clients.enumerated() { try client.send("GET /items/\(worker)-\(i)-\(round) HTTP/1.1\r\nHost: x\r\n\r\n") }
                            for (i, client) in clients.enumerated() where try client.readResponse().text == "item \(worker)-\(i)-\(round)" { ok += 1 }
                        }
                        return ok
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(ok == 8 * 50 * 3)
        #expect(server.statistics.acceptedConnections == 400)
        await server.shutdown()
        #expect(server.statistics.openConnections == 0)
    }
}

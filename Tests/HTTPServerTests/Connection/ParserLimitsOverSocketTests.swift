import Foundation
import Testing
@testable import HTTPServer

/// Each parser rule and limit of the issue, over a real socket: the status, a
/// problem+json body, and the connection closed afterwards.
@Suite struct ParserLimitsOverSocketTests {
    static let cases: [(String, String, Int)] = [
        ("request line too long", "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
        ("one header line too long", "GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "b", count: 70000) + "\r\n\r\n", 431),
        ("headers too large in all", "GET /hello HTTP/1.1\r\nHost: x\r\n" + (0..<70).map { "X-\($0): " + String(repeating: "c", count: 1000) + "\r\n" }.joined() + "\r\n", 431),
        ("too many header fields", "GET /hello HTTP/1.1\r\nHost: x\r\n" + (0..<101).map { "X-\($0): v\r\n" }.joined() + "\r\n", 431),
        ("body over the route limit", "POST /small HTTP/1.1\r\nHost: x\r\nContent-Length: 2000\r\n\r\n", 413),
        ("Content-Length with Transfer-Encoding", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("duplicate Content-Length", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400),
        ("Content-Length with a sign", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", 400),
        ("Content-Length list", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1,2\r\n\r\nab", 400),
        ("Content-Length with spaces", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1 2\r\n\r\nab", 400),
        ("invalid chunk size", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n", 400),
        ("chunk size overflow", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFF\r\nab\r\n", 400),
        ("obs-fold", "GET /hello HTTP/1.1\r\nHost: x\r\nX-A: a\r\n folded\r\n\r\n", 400),
        ("whitespace before the colon", "GET /hello HTTP/1.1\r\nHost : x\r\n\r\n", 400),
        ("bare CR", "GET /hello HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n", 400),
        ("missing Host", "GET /hello HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),
        ("unknown transfer coding", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("unknown HTTP version", "GET /hello HTTP/3.0\r\nHost: x\r\n\r\n", 505),
        ("unknown content coding", "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: br\r\nContent-Length: 3\r\n\r\nabc", 415),
    ]

    @Test(arguments: cases)
    func answersWithItsStatusAndCloses(name: String, request: String, expected: Int) async throws {
        let router = testRouter()
        router.post("/small", bodyLimit: 1000) { request, writer in
            _ = try await request.collectBody(limit: 1000)
            try await writer.send(HTTPResponse(status: .noContent))
        }
        let server = try startServer(router)
        let port = server.port
        let (response, closed) = try await blocking {
            let client = try RawClient(port: port)
            try? client.send(request)
            let response = try client.readResponse()
            return (response, try client.isClosedByServer())
        }
        #expect(response.status == expected, "\(name)")
        #expect(response.header("Content-Type") == "application/problem+json", "\(name)")
        #expect(response.text.contains("\"status\":\(expected)"), "\(name)")
        #expect(closed, "\(name): connection should be closed")
        await server.shutdown(gracePeriod: .seconds(5))
    }

    @Test func aRequestCutAtEveryByteBoundaryIsServed() async throws {
        let server = try startServer(testRouter())
        let port = server.port
        let request = Array("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello".utf8)
        let bodies = try await blocking { () -> [String] in
            let client = try RawClient(port: port)
            var bodies: [String] = []
            for split in 1..<request.count {
                try client.send(Array(request[0..<split]))
                usleep(200)
                try client.send(Array(request[split...]))
                bodies.append(try client.readResponse().text)
            }
            return bodies
        }
        #expect(bodies.count == request.count - 1)
        #expect(bodies.allSatisfy { $0 == "hello" })
        await server.shutdown()
    }
}

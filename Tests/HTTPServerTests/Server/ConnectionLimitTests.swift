import Foundation
import Testing
@testable import HTTPServer

/// `maxConnections` and `maxConcurrentBodies`: past either, the answer is a 503 problem with
/// `Retry-After`, and the server keeps serving what it admitted.
@Suite struct ConnectionLimitTests {
    @Test func theConnectionPastTheLimitGets503AndTheNextFreeSlotIsServed() async throws {
        let server = try startServer(testRouter()) { $0.maxConnections = 50 }
        let port = server.port
        let clients = try await blocking { () -> [RawClient] in
            try (0..<50).map { _ in
                let client = try RawClient(port: port)
                try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = try client.readResponse()
                guard response.status == 200 else { throw RawClient.ClosedError() }
                return client
            }
        }
        #expect(server.statistics.openConnections == 50)

        let refused = try await exchange(port, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") == "1")
        #expect(refused.header("Content-Type") == "application/problem+json")
        #expect(refused.header("Connection") == "close")
        #expect(refused.text.contains("maximum of 50 connections"), "\(refused.text)")
        #expect(server.statistics.refusedConnections == 1)
        #expect(server.statistics.openConnections == 50, "a refusal does not take a served slot")

        // The admitted connections are still served.
        let again = try await blocking { () -> Int in
            try clients[7].send("GET /items/7 HTTP/1.1\r\nHost: x\r\n\r\n")
            return try clients[7].readResponse().status
        }
        #expect(again == 200)

        // Once one leaves, a new connection takes its place.
        clients[0].hangUp()
        var status = 0
        for _ in 0..<2000 where status != 200 {
            status = try await exchange(port, "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").status
            if status != 200 { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(status == 200)
        _ = clients
        await server.shutdown()
    }

    @Test func anUploadPastTheBodyLimitGets503UnreadAndTheSlotComesBack() async throws {
        let server = try startServer(testRouter()) { $0.maxConcurrentBodies = 1 }
        let port = server.port
        // The first upload holds the only slot: its handler waits for the rest of the body.
        let first = try await blocking { () -> RawClient in
            let client = try RawClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nhello")
            return client
        }
        #expect(await eventually { server.statistics.bodiesInFlight == 1 })

        let refused = try await exchange(port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde")
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") == "1")
        #expect(refused.text.contains("maximum of 1 request bodies"), "\(refused.text)")
        #expect(server.statistics.refusedBodies == 1)
        // A request without a body needs no slot.
        #expect(try await exchange(port, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").status == 200)

        let echoed = try await blocking { () -> String in
            try first.send("world")
            return try first.readResponse().text
        }
        #expect(echoed == "helloworld")
        #expect(await eventually { server.statistics.bodiesInFlight == 0 })
        let second = try await exchange(port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde")
        #expect(second.status == 200 && second.text == "abcde")
        await server.shutdown()
    }

    @Test func aClientThatLeavesMidUploadGivesItsSlotBack() async throws {
        let server = try startServer(testRouter()) { $0.maxConcurrentBodies = 1 }
        let port = server.port
        let client = try await blocking { () -> RawClient in
            let client = try RawClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial")
            return client
        }
        #expect(await eventually { server.statistics.bodiesInFlight == 1 })
        client.hangUp()
        #expect(await eventually { server.statistics.bodiesInFlight == 0 && server.statistics.openConnections == 0 })
        let next = try await exchange(port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok")
        #expect(next.status == 200)
        await server.shutdown()
    }

    /// A client that sends its upload and resets at once: the reset can come before the
    /// connection's read source exists, and Dispatch then never fires again for it. The
    /// server must still notice (not wait for the 60 s body timeout) and give back the
    /// connection and the body slot.
    @Test func anUploadResetAtOnceIsNoticedBeforeTheBodyTimeout() async throws {
        let server = try startServer(testRouter()) { $0.bodyIdleTimeout = .seconds(60) }
        let port = server.port
        try await blocking {
            for _ in 0..<20 {
                let client = try RawClient(port: port)
                try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n" + String(repeating: "x", count: 20_000))
                client.reset()
            }
        }
        #expect(await eventually(seconds: 15) { server.statistics.openConnections == 0 && server.statistics.bodiesInFlight == 0 },
                "\(server.statistics)")
        await server.shutdown()
    }

    @Test func theDefaultLimitLeavesDescriptorsInReserve() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let effective = HTTPServerConfiguration().effectiveMaxConnections
        #expect(effective < Int(limit.rlim_cur))
        #expect(Int(limit.rlim_cur) - effective >= 64)
    }
}

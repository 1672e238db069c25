import Testing
@testable import HTTPServer
import SluiceLocks

@Suite struct ShutdownTests {
    @Test func gracefulShutdownFinishesTheRequestInFlight() async throws {
        let started = Locked(false)
        let release = Locked(false)
        let router = testRouter()
        router.get("/slow") { _, writer in
            started.withLock { $0 = true }
            while !release.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            try await writer.send(.text("done"))
        }
        let server = try startServer(router)
        let port = server.port
        let idle = try await blocking { () -> RawClient in
            let client = try RawClient(port: port)
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try client.readResponse()
            return client
        }
        let inFlight = Task {
            try await blocking { () -> (RawClient.Response, Bool) in
                let client = try RawClient(port: port)
                try client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
                return (try client.readResponse(), try client.isClosedByServer())
            }
        }
        #expect(await eventually { started.withLock { $0 } })
        let shutdown = Task { await server.shutdown(gracePeriod: .seconds(30)) }
        // The idle keep-alive connection is closed at once; the busy one is not.
        #expect(try await blocking { try idle.isClosedByServer() })
        // New connections are refused once the listener is closed.
        #expect(await eventually { (try? RawClient(port: port)) == nil })
        release.withLock { $0 = true }
        let (response, closed) = try await inFlight.value
        #expect(response.status == 200)
        #expect(response.text == "done")
        #expect(response.header("Connection") == "close")
        #expect(closed)
        await shutdown.value
        #expect(server.statistics.openConnections == 0)
    }

    @Test func theGracePeriodEndsStuckRequests() async throws {
        let router = Router()
        router.get("/stuck") { _, writer in
            try await writer.start(status: .ok)
            try await writer.write("begun")
            try await Task.sleep(for: .seconds(3600))
        }
        let server = try startServer(router)
        let port = server.port
        // The shutdown starts once the client has the response's first bytes (no sleeps).
        let begun = Locked(false)
        let client = Task {
            try await blocking { () -> RawClient.Response in
                let client = try RawClient(port: port)
                try client.send("GET /stuck HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = try client.fill(untilContains: Array("begun".utf8))
                begun.withLock { $0 = true }
                return try client.readResponse()
            }
        }
        #expect(await eventually { begun.withLock { $0 } })
        await server.shutdown(gracePeriod: .milliseconds(200))
        let response = try await client.value
        #expect(response.incomplete)
        #expect(server.statistics.openConnections == 0)
    }
}

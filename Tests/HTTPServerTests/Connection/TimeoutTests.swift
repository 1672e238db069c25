import Testing
@testable import HTTPServer
import SluiceLocks

/// Each timeout with short configured values. The client only waits (with a generous hang
/// guard) for the server to act; nothing asserts on elapsed time.
@Suite struct TimeoutTests {
    static func shortTimeouts(_ configuration: inout HTTPServerConfiguration) {
        configuration.headerTimeout = .milliseconds(300)
        configuration.bodyIdleTimeout = .milliseconds(300)
        configuration.sendIdleTimeout = .milliseconds(300)
        configuration.keepAliveTimeout = .milliseconds(300)
    }

    @Test func aSlowHeadGets408AndIsClosed() async throws {
        let server = try startServer(testRouter(), configure: Self.shortTimeouts)
        let port = server.port
        let (response, closed) = try await blocking {
            let client = try RawClient(port: port)
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n")
            return (try client.readResponse(), try client.isClosedByServer())
        }
        #expect(response.status == 408)
        #expect(closed)
        await server.shutdown()
    }

    @Test func anIdleKeepAliveConnectionIsClosed() async throws {
        let server = try startServer(testRouter(), configure: Self.shortTimeouts)
        let port = server.port
        let (response, closed) = try await blocking {
            let client = try RawClient(port: port)
            try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            return (try client.readResponse(), try client.isClosedByServer())
        }
        #expect(response.status == 200)
        #expect(closed)
        #expect(await eventually { server.statistics.openConnections == 0 })
        await server.shutdown()
    }

    @Test func aStalledBodyGets408() async throws {
        let server = try startServer(testRouter(), configure: Self.shortTimeouts)
        let port = server.port
        let (response, closed) = try await blocking {
            let client = try RawClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly some")
            return (try client.readResponse(), try client.isClosedByServer())
        }
        #expect(response.status == 408)
        #expect(closed)
        await server.shutdown()
    }

    @Test func aClientThatStopsReadingIsCutOff() async throws {
        let router = Router()
        let writerFailed = Locked(false)
        router.get("/endless") { _, writer in
            try await writer.start(status: .ok)
            let chunk = [UInt8](repeating: 1, count: 256 * 1024)
            do {
                while true { try await writer.write(chunk) }
            } catch {
                writerFailed.withLock { $0 = true }
                throw error
            }
        }
        let server = try startServer(router, configure: Self.shortTimeouts)
        let port = server.port
        let client = try await blocking { () -> RawClient in
            let client = try RawClient(port: port)
            client.setReceiveBuffer(4096)
            try client.send("GET /endless HTTP/1.1\r\nHost: x\r\n\r\n")
            return client
        }
        #expect(await eventually { writerFailed.withLock { $0 } })
        #expect(await eventually { server.statistics.openConnections == 0 })
        _ = client
        await server.shutdown()
    }
}

import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging
import Testing
@testable import HTTPServer
import SluiceLocks

@Suite struct ServerSetupTests {
    @Test func bindsIPv4AndIPv6OnOnePort() async throws {
        let server = try startServer(testRouter()) { $0.hosts = ["127.0.0.1", "::1"] }
        let v4 = try await run("/usr/bin/curl", ["-s", "http://127.0.0.1:\(server.port)/hello"])
        let v6 = try await run("/usr/bin/curl", ["-s", "-g", "http://[::1]:\(server.port)/hello"])
        #expect(String(decoding: v4.output, as: UTF8.self) == "hello\n")
        #expect(String(decoding: v6.output, as: UTF8.self) == "hello\n")
        await server.shutdown()
    }

    @Test func anAddressInUseIsReported() async throws {
        let first = try startServer(testRouter())
        let port = first.port
        #expect(throws: SocketError.self) { try startServer(testRouter()) { $0.port = port } }
        await first.shutdown()
    }

    @Test func remoteAddressIsTheClient() async throws {
        let router = Router()
        router.get("/who") { request in .text(request.remoteAddress) }
        let server = try startServer(router)
        let response = try await exchange(server.port, "GET /who HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.text.hasPrefix("127.0.0.1:"))
        await server.shutdown()
    }

    @Test func sigtermShutsDownGracefully() async throws {
        let server = try startServer(testRouter())
        let signals = TerminationSignals()
        // Dispatch arms the source asynchronously; until then SIGTERM is ignored (not fatal),
        // so keep signalling until it is seen. A hang guard bounds the loop.
        let received = Locked(false)
        let sender = Task.detached {
            for _ in 0..<2000 where !received.withLock({ $0 }) {
                kill(getpid(), SIGTERM)
                try? await Task.sleep(for: .milliseconds(10))
            }
        }
        #expect(await signals.wait() == SIGTERM)
        received.withLock { $0 = true }
        await sender.value
        await server.shutdown()
        #expect(server.statistics.openConnections == 0)
    }

    @Test func accessLogRecordsEachExchange() async throws {
        let lines = Locked<[String]>([])
        var logger = Logger(label: "access") { _ in CapturingLogHandler(lines: lines) }
        logger.logLevel = .info
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        let server = HTTPServer(configuration: configuration, router: testRouter(), logger: logger)
        try server.start()
        _ = try await exchange(server.port, "GET /items/9 HTTP/1.1\r\nHost: x\r\n\r\n")
        _ = try await exchange(server.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")
        await server.shutdown()
        let logged = lines.withLock { $0 }
        #expect(logged.contains { $0.hasPrefix("GET /items/9 200") && $0.contains("bytes=6") && $0.contains("duration_us=") })
        #expect(logged.contains { $0.hasPrefix("POST /echo 200") && $0.contains("bytes=3") })
    }

    /// A request refused on its head (413 for its Content-Length) is timed from its head,
    /// not from the machine's boot.
    @Test func anEarlyAnswerIsTimedFromItsRequest() async throws {
        let lines = Locked<[String]>([])
        var logger = Logger(label: "access") { _ in CapturingLogHandler(lines: lines) }
        logger.logLevel = .info
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.defaultBodyLimit = 10
        let server = HTTPServer(configuration: configuration, router: testRouter(), logger: logger)
        try server.start()
        let response = try await exchange(server.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        #expect(response.status == 413)
        await server.shutdown()
        let line = try #require(lines.withLock { $0 }.first { $0.hasPrefix("POST /echo 413") })
        let micros = try #require(line.split(separator: " ").first { $0.hasPrefix("duration_us=") }.flatMap { Int($0.dropFirst(12)) })
        let uptime = DispatchTime.now().uptimeNanoseconds / 1000
        #expect(micros < min(10_000_000, Int(uptime / 2)), "\(line)")
    }
}

/// Keeps formatted log lines (message plus sorted metadata) for assertions.
struct CapturingLogHandler: LogHandler {
    let lines: Locked<[String]>
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String, function: String, line: UInt) {
        let fields = (metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.withLock { $0.append("\(message) \(fields)") }
    }
}

import Foundation
import Testing
@testable import HTTPServer

/// The engine over HTTP/2 as real clients speak it: curl with prior knowledge and with
/// `Upgrade: h2c`, and h2load for many streams on one connection.
@Suite struct HTTP2CurlTests {
    static let curl = "/usr/bin/curl"

    static func get(_ port: Int, _ path: String, _ mode: String, extra: [String] = []) async throws -> [UInt8] {
        let result = try await run(curl, ["-s", "--max-time", "60", mode] + extra + ["http://127.0.0.1:\(port)\(path)"])
        #expect(result.status == 0)
        return result.output
    }

    @Test(arguments: ["--http2-prior-knowledge", "--http2"])
    func smallJSONIsServedOverHTTP2(mode: String) async throws {
        let server = try startServer(HTTP2TestRoutes.router())
        let output = try await Self.get(server.port, "/small", mode, extra: ["-w", "\n%{http_version} %{http_code}"])
        #expect(String(decoding: output, as: UTF8.self) == "{\"ok\":true,\"items\":[1,2,3]}\n2 200")
        await server.shutdown()
    }

    @Test(arguments: ["--http2-prior-knowledge", "--http2"])
    func aLargeStreamIsByteIdenticalToHTTP1(mode: String) async throws {
        let server = try startServer(HTTP2TestRoutes.router())
        let overHTTP2 = try await Self.get(server.port, "/large?kb=4100", mode)
        let overHTTP1 = try await Self.get(server.port, "/large?kb=4100", "--http1.1")
        #expect(overHTTP2.count == 4100 * 1024)
        #expect(overHTTP2 == overHTTP1)
        #expect(overHTTP2 == HTTP2TestRoutes.largeBody(4100 * 1024))
        await server.shutdown()
    }

    @Test func aStreamedBodyEndsWithItsTrailer() async throws {
        let server = try startServer(HTTP2TestRoutes.router())
        let output = try await Self.get(server.port, "/rows", "--http2-prior-knowledge", extra: ["-D", "-"])
        let text = String(decoding: output, as: UTF8.self)
        #expect(text.contains("{\"row\":2}\n"))
        // curl prints HTTP/2 trailer fields after the body, with the headers.
        let afterBody = text.components(separatedBy: "{\"row\":2}\n").last ?? ""
        #expect(afterBody.lowercased().contains("sluice-row-count: 3"))
        await server.shutdown()
    }

    @Test(arguments: [false, true])
    func anUploadIsReadByAStreamingHandler(gzip: Bool) async throws {
        let server = try startServer(HTTP2TestRoutes.router())
        let body = HTTP2TestRoutes.noise(3 << 20)
        var hash = HTTP2TestRoutes.fnvSeed
        HTTP2TestRoutes.fnv1a(body, &hash)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("h2-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("body")
        try Data(gzip ? try GzipCompressor.gzip(body, level: 5) : body).write(to: file)
        let headers = gzip ? ["-H", "Content-Encoding: gzip"] : []
        let output = try await Self.get(server.port, "/upload", "--http2-prior-knowledge",
                                        extra: headers + ["--data-binary", "@\(file.path)", "-H", "Content-Type: application/octet-stream"])
        #expect(String(decoding: output, as: UTF8.self) == "\(body.count) \(hash)")
        await server.shutdown()
    }

    @Test func errorsAreTheEngineProblemResponses() async throws {
        let server = try startServer(HTTP2TestRoutes.router())
        let port = server.port
        func status(_ arguments: [String]) async throws -> String {
            String(decoding: try await Self.get(port, arguments.last!, "--http2-prior-knowledge",
                                                extra: ["-o", "/dev/null", "-w", "%{http_code}"] + arguments.dropLast()), as: UTF8.self)
        }
        #expect(try await status(["/nowhere"]) == "404")
        #expect(try await status(["-X", "DELETE", "/small"]) == "405")
        #expect(try await status(["--data-binary", String(repeating: "x", count: 5000), "/limited"]) == "413")
        #expect(try await status(["--data-binary", "short", "/limited"]) == "200")
        let problem = try await Self.get(port, "/nowhere", "--http2-prior-knowledge", extra: ["-D", "-"])
        #expect(String(decoding: problem, as: UTF8.self).contains("content-type: application/problem+json"))
        await server.shutdown()
    }

    @Test func aHeaderListPastTheLimitIs431() async throws {
        let server = try startServer(HTTP2TestRoutes.router()) { $0.http2.maxHeaderListSize = 1024 }
        let status = try await Self.get(server.port, "/small", "--http2-prior-knowledge",
                                        extra: ["-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Big: \(String(repeating: "b", count: 2000))"])
        #expect(String(decoding: status, as: UTF8.self) == "431")
        await server.shutdown()
    }

    @Test func headIsAnsweredByTheGetRouteWithoutABody() async throws {
        let server = try startServer(HTTP2TestRoutes.router())
        let head = String(decoding: try await Self.get(server.port, "/small", "--http2-prior-knowledge", extra: ["-I"]), as: UTF8.self)
        #expect(head.hasPrefix("HTTP/2 200"))
        #expect(head.contains("content-length: 27"))
        let streamed = String(decoding: try await Self.get(server.port, "/large", "--http2-prior-knowledge", extra: ["-I"]), as: UTF8.self)
        #expect(streamed.hasPrefix("HTTP/2 200"))
        await server.shutdown()
    }

    @Test func manyConcurrentStreamsShareOneConnection() async throws {
        let server = try startServer(HTTP2TestRoutes.router())
        let result = try await run("/usr/bin/h2load", ["-n", "1000", "-c", "1", "-m", "50", "http://127.0.0.1:\(server.port)/small"])
        let text = String(decoding: result.output, as: UTF8.self)
        #expect(text.contains("1000 succeeded"))
        #expect(text.contains("status codes: 1000 2xx"))
        #expect(server.statistics.acceptedConnections == 1)
        await server.shutdown()
    }
}

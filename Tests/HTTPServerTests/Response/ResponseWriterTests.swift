import Foundation
import Testing
@testable import HTTPServer

@Suite struct ResponseWriterTests {
    static func streamingRouter() -> Router {
        let router = Router()
        router.get("/stream") { request, writer in
            let count = Int(request.query("n") ?? "3") ?? 3
            try await writer.start(status: .ok, headers: ["Content-Type": "text/plain"], compressible: request.query("gzip") != nil)
            for i in 0..<count { try await writer.write("part \(i)\n") }
            try await writer.finish(trailers: ["X-Parts": "\(count)"])
        }
        router.get("/abort") { _, writer in
            try await writer.start(status: .ok, headers: ["Content-Type": "text/plain"])
            try await writer.write("partial")
            writer.abort()
        }
        router.get("/fails-midway") { _, writer in
            try await writer.start(status: .ok)
            try await writer.write("partial")
            throw HTTPError(.internalServerError, detail: "source failed")
        }
        router.get("/fails-early") { _, _ in throw HTTPError(.conflict, detail: "busy") }
        router.get("/crashes") { _, _ in throw CancellationError() }
        router.get("/bad-header") { _, writer in
            do {
                try await writer.start(status: .ok, headers: ["X-Evil": "a\r\nSet-Cookie: x=1"])
            } catch is InvalidHeaderError {
                try await writer.send(.text("refused"))
            }
        }
        router.get("/bad-sync-header") { _ in HTTPResponse(status: .ok, headers: ["X-Evil": "a\u{0}b"]) }
        router.get("/length") { _, writer in
            try await writer.start(status: .ok, headers: ["Content-Length": "10"])
            try await writer.write("01234")
            try await writer.write("56789")
            try await writer.finish()
        }
        router.get("/big") { request, writer in
            let megabytes = Int(request.query("mb") ?? "1") ?? 1
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 256 * 1024)
            try await writer.start(status: .ok)
            for _ in 0..<(megabytes * 4) { try await writer.write(chunk) }
            try await writer.finish()
        }
        router.get("/json") { _ in .json(Array(String(repeating: "{\"key\":\"value\"},", count: 200).utf8)) }
        return router
    }

    @Test func streamedChunkedBodyWithTrailers() async throws {
        let server = try startServer(Self.streamingRouter())
        let response = try await exchange(server.port, "GET /stream?n=4 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.status == 200)
        #expect(response.header("Transfer-Encoding") == "chunked")
        #expect(response.text == "part 0\npart 1\npart 2\npart 3\n")
        #expect(response.trailers.first { $0.0 == "X-Parts" }?.1 == "4")
        #expect(!response.incomplete)
        await server.shutdown()
    }

    @Test func abortEndsWithoutTheLastChunk() async throws {
        let server = try startServer(Self.streamingRouter())
        let port = server.port
        for path in ["/abort", "/fails-midway"] {
            let (response, closed) = try await blocking {
                let client = try RawClient(port: port)
                try client.send("GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
                return (try client.readResponse(), try client.isClosedByServer())
            }
            #expect(response.status == 200)
            #expect(response.incomplete, "\(path)")
            #expect(response.text == "partial")
            #expect(closed)
        }
        await server.shutdown()
    }

    @Test func aHandlerThrowingBeforeRespondingGetsAProblem() async throws {
        let server = try startServer(Self.streamingRouter())
        let early = try await exchange(server.port, "GET /fails-early HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(early.status == 409)
        #expect(early.text.contains("\"detail\":\"busy\""))
        let crash = try await exchange(server.port, "GET /crashes HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(crash.status == 500)
        #expect(crash.header("Content-Type") == "application/problem+json")
        await server.shutdown()
    }

    @Test func headerValuesWithCRLFOrNULAreRefused() async throws {
        let server = try startServer(Self.streamingRouter())
        let streamed = try await exchange(server.port, "GET /bad-header HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(streamed.text == "refused")
        #expect(streamed.header("Set-Cookie") == nil)
        let sync = try await exchange(server.port, "GET /bad-sync-header HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(sync.status == 500)
        await server.shutdown()
    }

    @Test func contentLengthStreaming() async throws {
        let server = try startServer(Self.streamingRouter())
        let response = try await exchange(server.port, "GET /length HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.header("Content-Length") == "10")
        #expect(response.text == "0123456789")
        await server.shutdown()
    }

    @Test func headIsAnsweredFromGetWithoutBody() async throws {
        let server = try startServer(Self.streamingRouter())
        let port = server.port
        let (sync, streamed, after) = try await blocking {
            let client = try RawClient(port: port)
            try client.send("HEAD /json HTTP/1.1\r\nHost: x\r\n\r\nHEAD /length HTTP/1.1\r\nHost: x\r\n\r\nGET /length HTTP/1.1\r\nHost: x\r\n\r\n")
            return (try client.readResponse(bodyless: true), try client.readResponse(bodyless: true), try client.readResponse())
        }
        #expect(sync.status == 200)
        #expect(sync.header("Content-Length") == "3200")
        #expect(streamed.header("Content-Length") == "10")
        #expect(after.text == "0123456789")
        await server.shutdown()
    }

    @Test func gzipResponsesNegotiated() async throws {
        let server = try startServer(Self.streamingRouter())
        let port = server.port
        let gzip = try await exchange(port, "GET /json HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0.8, br\r\n\r\n")
        #expect(gzip.header("Content-Encoding") == "gzip")
        #expect(gzip.header("Vary") == "Accept-Encoding")
        #expect(gzip.body.count < 3200)
        let refused = try await exchange(port, "GET /json HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip;q=0, identity\r\n\r\n")
        #expect(refused.header("Content-Encoding") == nil)
        #expect(refused.body.count == 3200)
        let wildcard = try await exchange(port, "GET /json HTTP/1.1\r\nHost: x\r\nAccept-Encoding: *\r\n\r\n")
        #expect(wildcard.header("Content-Encoding") == "gzip")
        let none = try await exchange(port, "GET /json HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(none.header("Content-Encoding") == nil)
        #expect(none.header("Vary") == "Accept-Encoding")
        await server.shutdown()
    }

    @Test func identityRefusedForcesGzipEvenForSmallBodies() {
        let accept = AcceptEncoding(["Accept-Encoding": "identity;q=0, *;q=0.5"])
        #expect(accept.allowsGzip)
        #expect(accept.refusesIdentity)
        #expect(!AcceptEncoding(["Accept-Encoding": "gzip"]).refusesIdentity)
        #expect(AcceptEncoding(["Accept-Encoding": "*;q=0"]).refusesIdentity)
        #expect(!AcceptEncoding(["Accept-Encoding": "*;q=0"]).allowsGzip)
    }

    @Test func curlCompressedDecodesSyncAndStreamedGzip() async throws {
        let server = try startServer(Self.streamingRouter())
        let json = try await run("/usr/bin/curl", ["-s", "--compressed", "http://127.0.0.1:\(server.port)/json"])
        #expect(json.output == Array(String(repeating: "{\"key\":\"value\"},", count: 200).utf8))
        let stream = try await run("/usr/bin/curl", ["-s", "--compressed", "http://127.0.0.1:\(server.port)/stream?n=500&gzip=1"])
        #expect(String(decoding: stream.output, as: UTF8.self) == (0..<500).map { "part \($0)\n" }.joined())
        await server.shutdown()
    }

    @Test func aSlowReaderOfALargeStreamKeepsServerBuffersFlat() async throws {
        let server = try startServer(Self.streamingRouter())
        let port = server.port
        let received = try await blocking { () -> Int in
            let client = try RawClient(port: port)
            client.setReceiveBuffer(16 * 1024)
            try client.send("GET /big?mb=32 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            var total = 0
            var buffer = [UInt8](repeating: 0, count: 16 * 1024)
            var reads = 0
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                total += n
                reads += 1
                if reads % 64 == 0 { usleep(1000) }
            }
            return total
        }
        #expect(received > 32 << 20)
        #expect(await eventually { server.statistics.openConnections == 0 })
        let peak = server.statistics.peakBufferedOutputBytes
        // High-water mark (64 KiB) plus one 256 KiB write and its framing, never the whole stream.
        #expect(peak <= 64 * 1024 + 256 * 1024 + 64, "peak buffered output \(peak) bytes")
        await server.shutdown()
    }
}

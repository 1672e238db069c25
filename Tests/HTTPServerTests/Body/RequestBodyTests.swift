import Foundation
import Testing
@testable import HTTPServer
import SluiceLocks

@Suite struct RequestBodyTests {
    @Test func chunkedUploadWithTrailersIsDecoded() async throws {
        let router = Router()
        router.post("/echo") { request, writer in
            let body = try await request.collectBody(limit: 1024)
            try await writer.send(HTTPResponse(headers: ["X-Got-Sum": request.body.trailers["x-sum"] ?? "none"], body: body))
        }
        let server = try startServer(router)
        let port = server.port
        let response = try await exchange(port, "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3;x=y\r\nefg\r\n0\r\nX-Sum: 7\r\n\r\n")
        #expect(response.status == 200)
        #expect(response.text == "abcdefg")
        #expect(response.header("X-Got-Sum") == "7")
        await server.shutdown()
    }

    @Test func hundredContinueIsSentOnlyWhenTheHandlerReads() async throws {
        let router = testRouter()
        router.post("/refuse") { _, writer in
            try await writer.send(HTTPResponse(status: .forbidden))
        }
        let server = try startServer(router)
        let port = server.port
        let (interim, final, refused, refusedClosed) = try await blocking {
            let client = try RawClient(port: port)
            try client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
            let interim = try client.readResponse()
            try client.send("data")
            let final = try client.readResponse()
            let other = try RawClient(port: port)
            try other.send("POST /refuse HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
            let refused = try other.readResponse()
            return (interim, final, refused, try other.isClosedByServer())
        }
        #expect(interim.status == 100)
        #expect(final.status == 200)
        #expect(final.text == "data")
        #expect(refused.status == 403)
        #expect(refusedClosed)
        await server.shutdown()
    }

    @Test func gzipUploadIsDecompressed() async throws {
        let server = try startServer(testRouter())
        let port = server.port
        let original = Array(String(repeating: "{\"a\":1,\"b\":\"text\"}\n", count: 5000).utf8)
        let compressed = try GzipCompressor.gzip(original)
        let response = try await blocking {
            let client = try RawClient(port: port)
            try client.send(Array("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: \(compressed.count)\r\n\r\n".utf8) + compressed)
            return try client.readResponse()
        }
        #expect(response.status == 200)
        #expect(response.body == original)
        await server.shutdown()
    }

    @Test func gzipUploadThroughCurl() async throws {
        let server = try startServer(testRouter())
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-gzip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = Array(String(repeating: "line of text for curl\n", count: 20000).utf8)
        let file = directory.appendingPathComponent("body.gz")
        try Data(try GzipCompressor.gzip(original)).write(to: file)
        let result = try await run("/usr/bin/curl", ["-s", "-H", "Content-Encoding: gzip", "--data-binary", "@\(file.path)",
                                                     "http://127.0.0.1:\(server.port)/echo"])
        #expect(result.status == 0)
        #expect(result.output == original)
        await server.shutdown()
    }

    /// The status of a gzip upload of `inflated` zero bytes to a server configured by `configure`.
    func gzipUploadStatus(inflated: Int, _ configure: (inout HTTPServerConfiguration) -> Void) async throws -> Int {
        let server = try startServer(testRouter(), configure: configure)
        let port = server.port
        let bomb = try GzipCompressor.gzip([UInt8](repeating: 0, count: inflated))
        let response = try await blocking {
            let client = try RawClient(port: port)
            try client.send(Array("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: \(bomb.count)\r\n\r\n".utf8) + bomb)
            return try client.readResponse()
        }
        await server.shutdown()
        return response.status
    }

    @Test func decompressionBombIs413() async throws {
        #expect(try await gzipUploadStatus(inflated: 8 << 20) { $0.defaultBodyLimit = 1 << 20 } == 413)
    }

    /// One limit for a body's content: the route's, counted after decompression.
    @Test func aCompressedBodyIsHeldToTheRouteLimitAfterDecompression() async throws {
        let router = Router()
        router.post("/limited", bodyLimit: BodyLimit(2 << 20)) { request, writer in
            var total = 0
            for try await chunk in request.body { total += chunk.count }
            try await writer.send(.text("\(total)"))
        }
        router.post("/roomy", bodyLimit: BodyLimit(8 << 20)) { request, writer in
            var total = 0
            for try await chunk in request.body { total += chunk.count }
            try await writer.send(.text("\(total)"))
        }
        let server = try startServer(router) { $0.maxDecompressionRatio = 1 << 20 }
        let port = server.port
        let compressed = try GzipCompressor.gzip([UInt8](repeating: 0x61, count: 3 << 20))
        for (path, status) in [("/limited", 413), ("/roomy", 200)] {
            let response = try await blocking {
                let client = try RawClient(port: port)
                try client.send(Array("POST \(path) HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: \(compressed.count)\r\n\r\n".utf8)
                                + compressed)
                return try client.readResponse()
            }
            #expect(response.status == status, "\(path)")
            if status == 413 { #expect(String(decoding: response.body, as: UTF8.self).contains("limit of 2 MiB")) }
        }
        await server.shutdown()
    }

    @Test func decompressionRatioLimitIs413() async throws {
        #expect(try await gzipUploadStatus(inflated: 4 << 20) { $0.maxDecompressionRatio = 10 } == 413)
    }

    @Test func chunkedBodyOverTheRouteLimitIs413() async throws {
        let router = Router()
        router.post("/limited", bodyLimit: 10) { request, writer in
            for try await _ in request.body {}
            try await writer.send(HTTPResponse(status: .noContent))
        }
        let server = try startServer(router)
        let response = try await exchange(server.port, "POST /limited HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n")
        #expect(response.status == 413)
        await server.shutdown()
    }

    @Test func theSocketIsNotReadFasterThanTheHandlerPulls() async throws {
        let gate = Locked<CheckedContinuation<Void, Never>?>(nil)
        let router = Router()
        router.post("/slow", bodyLimit: BodyLimit(.max)) { request, writer in
            var iterator = request.body.makeAsyncIterator()
            var total = try await iterator.next()?.count ?? 0
            await withCheckedContinuation { continuation in gate.withLock { $0 = continuation } }
            while let chunk = try await iterator.next() { total += chunk.count }
            try await writer.send(.text("\(total)"))
        }
        let server = try startServer(router)
        let port = server.port
        let total = 64 << 20
        let sent = Locked(0)
        let client = try await blocking { try RawClient(port: port) }
        let sender = Task.detached {
            try await blocking {
                try client.send("POST /slow HTTP/1.1\r\nHost: x\r\nContent-Length: \(total)\r\n\r\n")
                let piece = [UInt8](repeating: 7, count: 65536)
                for _ in 0..<(total / piece.count) {
                    try client.send(piece)
                    sent.withLock { $0 += piece.count }
                }
            }
        }
        // While the handler does not pull, the client can only fill the socket buffers.
        #expect(await eventually { gate.withLock { $0 != nil } })
        try await Task.sleep(for: .milliseconds(300))
        let sentWhileBlocked = sent.withLock { $0 }
        #expect(sentWhileBlocked < 32 << 20, "sent \(sentWhileBlocked) bytes while the handler was not reading")
        gate.withLock { $0?.resume(); $0 = nil }
        try await sender.value
        let response = try await blocking { try client.readResponse() }
        #expect(response.text == "\(total)")
        client.hangUp()
        await server.shutdown()
    }
}

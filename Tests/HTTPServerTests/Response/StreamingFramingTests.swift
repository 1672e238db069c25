import Foundation
import Testing
@testable import HTTPServer
import SluiceLocks

@Suite struct StreamingFramingTests {
    /// `/rows` writes one line, waits for the test to release it, then writes another.
    static func gatedRouter(_ gate: Locked<Bool>) -> Router {
        let router = Router()
        router.get("/rows") { _, writer in
            try await writer.start(status: .ok, headers: ["Content-Type": "application/x-ndjson"], compressible: true)
            try await writer.write("{\"row\":1}\n")
            while !gate.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
            try await writer.write("{\"row\":2}\n")
            try await writer.finish()
        }
        return router
    }

    @Test func eachGzipWriteIsDecodableBeforeTheStreamEnds() async throws {
        let gate = Locked(false)
        let server = try startServer(Self.gatedRouter(gate))
        let port = server.port
        let (encoding, firstChunk, client) = try await blocking { () -> (String?, [UInt8], RawClient) in
            let client = try RawClient(port: port)
            try client.send("GET /rows HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n")
            var head: [UInt8] = []
            while !head.ends(with: Array("\r\n\r\n".utf8)) {
                var byte: UInt8 = 0
                guard recv(client.fd, &byte, 1, 0) == 1 else { throw RawClient.ClosedError() }
                head.append(byte)
            }
            let text = String(decoding: head, as: UTF8.self)
            let encoding = text.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-encoding:") }.map { String($0.dropFirst(17)).trimmingCharacters(in: .whitespaces) }
            // One chunk: size line, data, CRLF.
            var sizeLine: [UInt8] = []
            while !sizeLine.ends(with: [13, 10]) {
                var byte: UInt8 = 0
                guard recv(client.fd, &byte, 1, 0) == 1 else { throw RawClient.ClosedError() }
                sizeLine.append(byte)
            }
            let size = Int(String(decoding: sizeLine.dropLast(2), as: UTF8.self), radix: 16)!
            var data = [UInt8](repeating: 0, count: size)
            var got = 0
            while got < size {
                let n = data[got...].withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { throw RawClient.ClosedError() }
                got += n
            }
            return (encoding, data, client)
        }
        #expect(encoding == "gzip")
        let inflater = try BodyInflater(coding: .gzip, maxInflated: BodyLimit(1 << 20), maxRatio: 1000)
        inflater.feed(firstChunk)
        #expect(String(decoding: try inflater.inflate(maxOutput: 4096), as: UTF8.self) == "{\"row\":1}\n")
        gate.withLock { $0 = true }
        client.hangUp()
        await server.shutdown()
    }

    @Test func http10StreamsUntilClose() async throws {
        let gate = Locked(true)
        let server = try startServer(Self.gatedRouter(gate))
        let port = server.port
        let bytes = try await blocking { () -> [UInt8] in
            let client = try RawClient(port: port)
            try client.send("GET /rows HTTP/1.0\r\n\r\n")
            return try client.readToEnd()
        }
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(!text.contains("Transfer-Encoding"))
        #expect(text.contains("Connection: close"))
        #expect(text.hasSuffix("\r\n\r\n{\"row\":1}\n{\"row\":2}\n"))
        await server.shutdown()
    }
}

extension Array where Element == UInt8 {
    func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}

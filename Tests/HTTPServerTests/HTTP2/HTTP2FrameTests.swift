import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import HTTPServer
import SluiceLocks

/// HTTP/2 behaviour seen at the frame level with a hand-built client: the preface in pieces,
/// backpressure towards a slow reader, resets, rapid-reset protection and GOAWAY.
@Suite struct HTTP2FrameTests {
    typealias Client = HTTP2FrameClient

    @Test func aPrefaceSplitAcrossReadsIsRecognised() async throws {
        let server = try startServer(HTTP2TestRoutes.router())
        let port = server.port
        let status = try await blocking { () -> String? in
            let client = try Client(port: port)
            var nodelay: Int32 = 1
            setsockopt(client.socket.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &nodelay, socklen_t(MemoryLayout<Int32>.size))
            let preface = HTTP2Preface.bytes
            for piece in [preface[0..<1], preface[1..<9], preface[9...]] { try client.socket.send(Array(piece)) }
            try client.socket.send(Client.frame(Client.settings, 0, 0, []) + Client.request(stream: 1, path: "/small"))
            while let frame = try client.readFrame() {
                // :status 200 is static-table entry 8: the block's first byte 0x88.
                if frame.stream == 1, frame.type == Client.headers { return frame.payload.first == 0x88 ? "200" : "other" }
            }
            return nil
        }
        #expect(status == "200")
        await server.shutdown()
    }

    @Test func aSlowReaderOfALargeStreamKeepsServerBuffersFlat() async throws {
        let server = try startServer(HTTP2TestRoutes.router())
        let port = server.port
        let size = 32 << 20
        let received = try await blocking { () -> Int in
            let client = try Client(port: port)
            client.socket.setReceiveBuffer(16 * 1024)
            // Windows wide open: only the socket holds the server back.
            try client.start(openWindows: true)
            try client.socket.send(Client.request(stream: 1, path: "/large?kb=\(size >> 10)"))
            var total = 0
            var frames = 0
            while let frame = try client.readFrame(receiveSize: 16 * 1024) {
                guard frame.stream == 1 else { continue }
                if frame.type == Client.data { total += frame.payload.count }
                frames += 1
                if frames % 64 == 0 { usleep(1000) }
                if frame.flags & Client.endStream != 0 { break }
            }
            return total
        }
        #expect(received == size)
        let peak = server.statistics.peakBufferedOutputBytes
        // Output queue (high-water mark plus one batch) and the streams' pending bytes
        // (connection bound plus one write): far below the 32 MiB stream.
        #expect(peak > 0)
        #expect(peak < 1 << 20)
        await server.shutdown()
    }

    @Test func aResetStreamCancelsTheHandlersWrites() async throws {
        let outcome = Locked<String?>(nil)
        let router = Router()
        router.get("/endless") { _, writer in
            try await writer.start()
            do {
                while true { try await writer.write([UInt8](repeating: 120, count: 16384)) }
            } catch {
                outcome.withLock { $0 = "\(type(of: error))" }
                throw error
            }
        }
        let server = try startServer(router)
        let port = server.port
        let client = try await blocking { () -> Client in
            let client = try Client(port: port)
            try client.start()
            try client.socket.send(Client.request(stream: 1, path: "/endless"))
            // Wait for the response to be under way, then cancel it.
            while let frame = try client.readFrame() {
                if frame.stream == 1, frame.type == Client.data { break }
            }
            try client.socket.send(Client.reset(stream: 1))
            return client
        }
        #expect(await eventually { outcome.withLock { $0 } != nil })
        #expect(outcome.withLock { $0 } == "ConnectionClosedError")
        client.socket.hangUp()
        await server.shutdown()
    }

    @Test func rapidResetsEndTheConnectionWithEnhanceYourCalm() async throws {
        let server = try startServer(HTTP2TestRoutes.router()) { $0.http2.maxResetsPerInterval = 50 }
        let port = server.port
        let goawayCode = try await blocking { () -> UInt32? in
            let client = try Client(port: port)
            try client.start()
            var burst: [UInt8] = []
            for i in 0..<200 {
                let stream = UInt32(2 * i + 1)
                burst += Client.request(stream: stream, path: "/small") + Client.reset(stream: stream)
            }
            try? client.socket.send(burst)
            while let frame = try client.readFrame() {
                if frame.type == Client.goaway {
                    let p = frame.payload
                    return UInt32(p[4]) << 24 | UInt32(p[5]) << 16 | UInt32(p[6]) << 8 | UInt32(p[7])
                }
            }
            return nil
        }
        #expect(goawayCode == 11) // ENHANCE_YOUR_CALM
        await server.shutdown()
    }

    @Test func gracefulShutdownSendsGoaway() async throws {
        let server = try startServer(HTTP2TestRoutes.router())
        let port = server.port
        let client = try await blocking { () -> Client in
            let client = try Client(port: port)
            try client.start()
            try client.socket.send(Client.request(stream: 1, path: "/small"))
            // The response arrives: the connection is an HTTP/2 one, now idle.
            while let frame = try client.readFrame() {
                if frame.stream == 1, frame.flags & Client.endStream != 0 { break }
            }
            return client
        }
        async let stopped: Void = server.shutdown()
        let goawayCode = try await blocking { () -> UInt32? in
            while let frame = try client.readFrame() {
                guard frame.type == Client.goaway else { continue }
                let p = frame.payload
                return UInt32(p[4]) << 24 | UInt32(p[5]) << 16 | UInt32(p[6]) << 8 | UInt32(p[7])
            }
            return nil
        }
        #expect(goawayCode == 0) // NO_ERROR
        client.socket.hangUp()
        await stopped
    }

    @Test(.disabled(if: ProcessInfo.processInfo.environment["SLUICE_SANITIZER"] == "thread",
                    "16 MiB must stream within a 2 s grace period: ThreadSanitizer slows it past that"))
    func shutdownLetsAStreamInFlightFinishAfterGoaway() async throws {
        let server = try startServer(HTTP2TestRoutes.router())
        let port = server.port
        // Large enough that the handler is still writing (held back by the socket) at shutdown.
        let size = 16 << 20
        let (client, firstData) = try await blocking { () -> (Client, Int) in
            let client = try Client(port: port)
            client.socket.setReceiveBuffer(16 * 1024)
            try client.start(openWindows: true)
            try client.socket.send(Client.request(stream: 1, path: "/large?kb=\(size >> 10)"))
            while let frame = try client.readFrame() {
                if frame.stream == 1, frame.type == Client.data { return (client, frame.payload.count) }
            }
            throw RawClient.ClosedError()
        }
        async let stopped: Void = server.shutdown(gracePeriod: .seconds(30))
        // Read to the end of the connection, which the server closes once the stream is done.
        let (goaway, received, ended) = try await blocking { () -> ([UInt8]?, Int, Bool) in
            var goaway: [UInt8]?
            var received = firstData
            var ended = false
            while let frame = try client.readFrame() {
                if frame.type == Client.goaway { goaway = frame.payload }
                if frame.stream == 1, frame.type == Client.data {
                    received += frame.payload.count
                    if frame.flags & Client.endStream != 0 { ended = true }
                }
            }
            return (goaway, received, ended)
        }
        // GOAWAY(last stream 1, NO_ERROR), and the stream still ends complete.
        #expect(goaway.map { Array($0[0..<8]) } == [0, 0, 0, 1, 0, 0, 0, 0])
        #expect(ended)
        #expect(received == size)
        client.socket.hangUp()
        await stopped
    }
}

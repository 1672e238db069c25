import Testing
@testable import HTTPServer
import SluiceLocks

/// Request bodies over HTTP/2 are flow-controlled by the handler's pulls: the server returns
/// window credit only for bytes the handler took, so a client that honours flow control
/// cannot send more than the stream window ahead of a handler that does not read.
@Suite struct HTTP2FlowControlTests {
    typealias Client = HTTP2FrameClient

    @Test func anUploadWaitsForTheHandlerToPull() async throws {
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
        let window = Int(server.configuration.http2.streamWindowSize)
        let total = 8 << 20
        let sent = Locked(0)
        let blocked = Locked(false)
        let client = try await blocking { try Client(port: port) }
        let sender = Task.detached {
            try await blocking { () -> String in
                try client.start()
                try client.socket.send(Client.request(stream: 1, method: "POST", path: "/slow", endStream: false))
                var connectionWindow = 65535, streamWindow = 65535, initialWindow = 65535
                var remaining = total
                var response: [UInt8] = []
                while true {
                    let n = min(16384, remaining, connectionWindow, streamWindow)
                    if n > 0 {
                        remaining -= n
                        try client.socket.send(Client.frame(Client.data, remaining == 0 ? Client.endStream : 0, 1, [UInt8](repeating: 7, count: n)))
                        connectionWindow -= n
                        streamWindow -= n
                        sent.withLock { $0 += n }
                        continue
                    }
                    if remaining > 0 { blocked.withLock { $0 = true } }
                    guard let frame = try client.readFrame() else { throw RawClient.ClosedError() }
                    blocked.withLock { $0 = false }
                    switch frame.type {
                    case Client.settings where frame.flags & 1 == 0:
                        try client.socket.send(Client.frame(Client.settings, 1, 0, []))
                        for i in stride(from: 0, to: frame.payload.count, by: 6) where frame.payload[i + 1] == 4 {
                            let p = frame.payload
                            let value = Int(p[i + 2]) << 24 | Int(p[i + 3]) << 16 | Int(p[i + 4]) << 8 | Int(p[i + 5])
                            streamWindow += value - initialWindow
                            initialWindow = value
                        }
                    case Client.windowUpdate:
                        let p = frame.payload
                        let increment = Int(p[0] & 0x7f) << 24 | Int(p[1]) << 16 | Int(p[2]) << 8 | Int(p[3])
                        if frame.stream == 0 { connectionWindow += increment } else if frame.stream == 1 { streamWindow += increment }
                    case Client.data where frame.stream == 1:
                        response += frame.payload
                        if frame.flags & Client.endStream != 0 { return String(decoding: response, as: UTF8.self) }
                    default:
                        break
                    }
                }
            }
        }
        // The handler took one chunk and stopped pulling: the client runs out of window.
        #expect(await eventually { gate.withLock { $0 != nil } && blocked.withLock { $0 } })
        let sentWhileBlocked = sent.withLock { $0 }
        #expect(sentWhileBlocked <= 2 * window, "sent \(sentWhileBlocked) bytes while the handler was not reading")
        gate.withLock { $0?.resume(); $0 = nil }
        #expect(try await sender.value == "\(total)")
        client.socket.hangUp()
        await server.shutdown()
    }

    @Test func aBodyThatStopsArrivingFailsThePullWith408() async throws {
        let failure = Locked<HTTPStatus?>(nil)
        let router = Router()
        router.post("/stalled") { request, writer in
            do {
                _ = try await request.collectBody(limit: 1 << 20)
            } catch let error as HTTPError {
                failure.withLock { $0 = error.status }
                throw error
            }
            try await writer.send(.text("complete"))
        }
        let server = try startServer(router) { $0.bodyIdleTimeout = .milliseconds(200) }
        let port = server.port
        let client = try await blocking { () -> Client in
            let client = try Client(port: port)
            try client.start()
            try client.socket.send(Client.request(stream: 1, method: "POST", path: "/stalled", endStream: false)
                + Client.frame(Client.data, 0, 1, Array("partial".utf8)))
            return client
        }
        #expect(await eventually { failure.withLock { $0 } != nil })
        #expect(failure.withLock { $0 } == .requestTimeout)
        client.socket.hangUp()
        await server.shutdown()
    }
}

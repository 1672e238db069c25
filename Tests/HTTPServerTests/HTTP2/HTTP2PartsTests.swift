import Testing
@testable import HTTPServer
import CNghttp2

/// The small pieces of the HTTP/2 side: preface detection, the HTTP2-Settings decoder,
/// response header blocks, pending bytes and the reset limiter.
@Suite struct HTTP2PartsTests {
    @Test func prefaceIsRecognisedFromItsFirstByte() {
        func match(_ text: String) -> HTTP2Preface.Match {
            Array(text.utf8).withUnsafeBytes { HTTP2Preface.match($0) }
        }
        #expect(match("P") == .partial)
        #expect(match("PRI * HTTP/2.0\r\n") == .partial)
        #expect(match("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") == .complete)
        #expect(match("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\u{4}") == .complete)
        #expect(match("POST / HTTP/1.1\r\n") == .mismatch)
        #expect(match("GET / HTTP/1.1\r\n") == .mismatch)
    }

    @Test func http2SettingsIsBase64URLWithoutPadding() {
        // SETTINGS_MAX_CONCURRENT_STREAMS = 100, SETTINGS_INITIAL_WINDOW_SIZE = 65535.
        #expect(HTTP2Upgrade.decodeBase64URL("AAMAAABkAAQAAP__") == [0, 3, 0, 0, 0, 100, 0, 4, 0, 0, 0xff, 0xff])
        #expect(HTTP2Upgrade.decodeBase64URL("") == [])
        #expect(HTTP2Upgrade.decodeBase64URL("AA*A") == nil)
    }

    @Test func headerBlocksAreLowercaseWithoutConnectionFields() {
        let headers: HTTPHeaders = ["Content-Type": "text/plain", "Connection": "keep-alive", "Transfer-Encoding": "chunked",
                                    "Content-Length": "99", "X-Trace": "a"]
        let block = HTTP2HeaderBlock(status: 200, headers: headers, contentLength: 5,
                                     date: Array("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n".utf8), serverName: nil)
        let pairs = block.withPairs { pairs, count in
            (0..<count).map { i in
                (String(decoding: UnsafeBufferPointer(start: pairs[i].name, count: pairs[i].namelen), as: UTF8.self),
                 String(decoding: UnsafeBufferPointer(start: pairs[i].value, count: pairs[i].valuelen), as: UTF8.self))
            }
        }
        #expect(pairs.map(\.0) == [":status", "content-type", "x-trace", "content-length", "date"])
        #expect(pairs.map(\.1) == ["200", "text/plain", "a", "5", "Sun, 06 Nov 1994 08:49:37 GMT"])
    }

    @Test func pendingBytesAreCopiedOutInOrderAcrossSegments() {
        var pending = PendingBytes()
        var expected: [UInt8] = []
        for i in 0..<50 {
            let segment = [UInt8](repeating: UInt8(i), count: 1 + i * 37)
            pending.append(segment)
            expected += segment
        }
        var out: [UInt8] = []
        var frame = [UInt8](repeating: 0, count: 1000)
        while !pending.isEmpty {
            let n = frame.withUnsafeMutableBufferPointer { pending.take(into: $0.baseAddress!, max: 1000) }
            out += frame[0..<n]
        }
        #expect(out == expected)
        #expect(pending.count == 0)
    }

    @Test func theResetLimiterTripsPastItsCapWithinAnInterval() {
        var limiter = ResetRateLimiter(limit: 3, interval: .seconds(1))
        let start: UInt64 = 10_000_000_000
        var outcomes: [Bool] = []
        for _ in 0..<3 { outcomes.append(limiter.record(now: start)) }
        outcomes.append(limiter.record(now: start + 1000))
        // A new interval starts the count again.
        outcomes.append(limiter.record(now: start + 2_000_000_000))
        #expect(outcomes == [false, false, false, true, false])
    }
}

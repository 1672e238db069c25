import Testing
@testable import HTTPServer

@Suite struct ResponseHeadEncoderTests {
    static let date = Array("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n".utf8)

    @Test func encodesStatusFieldsAndFraming() throws {
        let head = try ResponseHeadEncoder.encode(
            status: .created, headers: ["Content-Type": "application/json", "Content-Length": "999", "Connection": "upgrade"],
            framing: .length(12), contentLength: nil, keepAlive: true, version: .http1_1, date: Self.date, serverName: "Sluice")
        #expect(String(decoding: head, as: UTF8.self) ==
            "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 12\r\nServer: Sluice\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n")
    }

    @Test func chunkedAndClosingHeads() throws {
        let head = try ResponseHeadEncoder.encode(status: .ok, headers: [:], framing: .chunked, contentLength: nil,
                                                  keepAlive: false, version: .http1_1, date: Self.date, serverName: nil)
        let text = String(decoding: head, as: UTF8.self)
        #expect(text.contains("Transfer-Encoding: chunked\r\n"))
        #expect(text.contains("Connection: close\r\n"))
    }

    @Test(arguments: [("X-A", "a\rb"), ("X-A", "a\nb"), ("X-A", "a\u{0}b"), ("Bad Name", "v"), ("", "v"), ("X:Y", "v")])
    func refusesFieldsThatBreakFraming(name: String, value: String) {
        #expect(throws: InvalidHeaderError.self) {
            _ = try ResponseHeadEncoder.encode(status: .ok, headers: HTTPHeaders([(name, value)]), framing: .length(0), contentLength: nil,
                                               keepAlive: true, version: .http1_1, date: Self.date, serverName: nil)
        }
    }

    @Test func chunkFraming() throws {
        #expect(ChunkedEncoder.header(size: 0x40000) == Array("40000\r\n".utf8))
        #expect(ChunkedEncoder.header(size: 10) == Array("a\r\n".utf8))
        #expect(try ChunkedEncoder.lastChunk(trailers: ["X-Rows": "5"]) == Array("0\r\nX-Rows: 5\r\n\r\n".utf8))
    }

    @Test func imfFixdate() {
        #expect(DateHeaderCache.format(784111777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}

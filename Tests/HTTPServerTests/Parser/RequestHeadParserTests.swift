import Testing
@testable import HTTPServer

@Suite struct RequestHeadParserTests {
    static func parse(_ text: String) throws -> RequestHead {
        try Array(text.utf8).withUnsafeBytes { try RequestHeadParser.parse($0) }
    }

    static func status(_ text: String) -> Int? {
        do {
            _ = try parse(text)
            return nil
        } catch let error as HTTPError {
            return error.status.code
        } catch {
            return -1
        }
    }

    @Test func parsesRequestLineAndFields() throws {
        let head = try Self.parse("POST /v1/x?limit=5 HTTP/1.1\r\nHost: example\r\nX-Multi: a\r\nx-multi:  b \r\nContent-Length: 12\r\n\r\n")
        #expect(head.method == .POST)
        #expect(head.target == "/v1/x?limit=5")
        #expect(head.version == .http1_1)
        #expect(head.headers["host"] == "example")
        #expect(head.headers.values(for: "X-MULTI") == ["a", "b"])
        #expect(head.framing == .length(12))
        #expect(head.keepAlive)
        #expect(!head.expectsContinue)
    }

    @Test func chunkedFramingAndConnectionOptions() throws {
        let head = try Self.parse("PUT / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\nExpect: 100-continue\r\n\r\n")
        #expect(head.framing == .chunked)
        #expect(!head.keepAlive)
        #expect(head.expectsContinue)
        let http10 = try Self.parse("GET / HTTP/1.0\r\n\r\n")
        #expect(!http10.keepAlive)
        #expect(try Self.parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1,2\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1 2\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Space : a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Bare: a\rb\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Nul: a\u{0}b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 400),
        ("GET / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505),
        ("GET / HTTP/1.1 \r\nHost: x\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET / FTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("G@T / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /a\u{7F}b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n", 417),
    ])
    func refusesMalformedHeads(request: String, expected: Int) {
        #expect(Self.status(request) == expected, "\(request.debugDescription)")
    }
}

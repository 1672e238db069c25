import Testing
@testable import HTTPServer

@Suite struct RequestHeadScannerTests {
    static let limits = HeadLimits(maxRequestLine: 8192, maxHeaderLine: 65536, maxHeaderBytes: 65536, maxHeaderCount: 100)

    /// Scans `bytes` delivered as the given pieces, as the connection does (the buffer grows).
    static func scan(_ pieces: [[UInt8]], limits: HeadLimits = limits) throws -> RequestHeadScanner.Outcome {
        var scanner = RequestHeadScanner(limits: limits)
        var buffer: [UInt8] = []
        var outcome = RequestHeadScanner.Outcome.needMore
        for piece in pieces {
            buffer += piece
            outcome = try buffer.withUnsafeBytes { try scanner.scan($0) }
            if case .complete = outcome { break }
        }
        return outcome
    }

    static func status(_ text: String, limits: HeadLimits = limits) -> Int? {
        do {
            _ = try scan([Array(text.utf8)], limits: limits)
            return nil
        } catch let error as HTTPError {
            return error.status.code
        } catch {
            return -1
        }
    }

    @Test func findsTheHeadAtEverySplitPoint() throws {
        let request = Array("GET /a?b=c HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\nBODY".utf8)
        let headEnd = request.count - 4
        for split in 0...request.count {
            let outcome = try Self.scan([Array(request[0..<split]), Array(request[split...])])
            #expect(outcome == .complete(start: 0, end: headEnd), "split at \(split)")
        }
    }

    @Test func findsTheHeadWhenFedOneByteAtATime() throws {
        let request = Array("POST /x HTTP/1.1\r\nHost: y\r\nContent-Length: 0\r\n\r\n".utf8)
        #expect(try Self.scan(request.map { [$0] }) == .complete(start: 0, end: request.count))
    }

    @Test func skipsEmptyLinesBeforeTheRequestLine() throws {
        let request = Array("\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)
        #expect(try Self.scan([request]) == .complete(start: 4, end: request.count))
    }

    @Test func incompleteHeadNeedsMore() throws {
        #expect(try Self.scan([Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8)]) == .needMore)
    }

    @Test func requestLineOverTheLimitIs414EvenBeforeItEnds() {
        let line = "GET /" + String(repeating: "a", count: 8200)
        #expect(Self.status(line) == 414)
        #expect(Self.status(line + " HTTP/1.1\r\n\r\n") == 414)
    }

    @Test func headerLineOverTheLimitIs431() {
        let small = HeadLimits(maxRequestLine: 8192, maxHeaderLine: 100, maxHeaderBytes: 65536, maxHeaderCount: 100)
        #expect(Self.status("GET / HTTP/1.1\r\nX: " + String(repeating: "v", count: 200), limits: small) == 431)
    }

    @Test func allHeadersOverTheLimitIs431() {
        let lines = (0..<80).map { "X-Field-\($0): " + String(repeating: "v", count: 900) + "\r\n" }.joined()
        #expect(Self.status("GET / HTTP/1.1\r\nHost: x\r\n" + lines + "\r\n") == 431)
    }

    @Test func tooManyFieldsIs431() {
        let lines = (0..<101).map { "X-\($0): v\r\n" }.joined()
        #expect(Self.status("GET / HTTP/1.1\r\n" + lines + "\r\n") == 431)
        let exactly100 = (0..<99).map { "X-\($0): v\r\n" }.joined()
        #expect(Self.status("GET / HTTP/1.1\r\nHost: x\r\n" + exactly100 + "\r\n") == nil)
    }

    @Test func bareLineFeedIs400() {
        #expect(Self.status("GET / HTTP/1.1\nHost: x\r\n\r\n") == 400)
        #expect(Self.status("GET / HTTP/1.1\r\nHost: x\n\r\n") == 400)
    }
}

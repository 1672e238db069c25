/// Parses a complete request head (request line, fields, blank line) found by
/// `RequestHeadScanner`, and derives the body framing from the fields.
///
/// Strict RFC 9112: single spaces in the request line, `HTTP/d.d` versions (only 1.0 and 1.1
/// served, others 505), token methods, visible-ASCII targets, and the field rules of
/// `HeaderFieldParser`. Framing errors (RFC 9112 §6.3) are 400; a transfer coding other than
/// chunked is 501.
enum RequestHeadParser {
    static func parse(_ head: UnsafeRawBufferPointer) throws -> RequestHead {
        var lineEnd = 0
        while lineEnd + 1 < head.count, !(head[lineEnd] == ByteClass.cr && head[lineEnd + 1] == ByteClass.lf) { lineEnd += 1 }
        let (method, target, version) = try parseRequestLine(UnsafeRawBufferPointer(rebasing: head[0..<lineEnd]))

        var headers = HTTPHeaders()
        var position = lineEnd + 2
        var lineNumber = 1
        while position + 1 < head.count {
            var end = position
            while !(head[end] == ByteClass.cr && head[end + 1] == ByteClass.lf) { end += 1 }
            if end == position { break }
            lineNumber += 1
            headers.fields.append(try HeaderFieldParser.parse(UnsafeRawBufferPointer(rebasing: head[position..<end]), lineNumber: lineNumber))
            position = end + 2
        }
        return try RequestHead(method: method, target: target, version: version, headers: headers,
                               framing: framing(of: headers, version: version),
                               keepAlive: keepAlive(headers, version),
                               expectsContinue: expectsContinue(headers))
    }

    private static func parseRequestLine(_ line: UnsafeRawBufferPointer) throws -> (HTTPMethod, String, HTTPVersion) {
        var i = 0
        while i < line.count, ByteClass.isTokenChar(line[i]) { i += 1 }
        guard i > 0, i < line.count, line[i] == ByteClass.space else {
            throw HTTPError.badRequest("malformed method in the request line at column \(i + 1)")
        }
        let method = String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<i]), as: UTF8.self)
        let targetStart = i + 1
        var j = targetStart
        while j < line.count, ByteClass.isTargetChar(line[j]) { j += 1 }
        guard j > targetStart, j < line.count, line[j] == ByteClass.space else {
            throw HTTPError.badRequest("malformed request target at column \(j + 1) of the request line")
        }
        let target = String(decoding: UnsafeRawBufferPointer(rebasing: line[targetStart..<j]), as: UTF8.self)
        let version = UnsafeRawBufferPointer(rebasing: line[(j + 1)...])
        guard version.count == 8, version.starts(with: "HTTP/".utf8), version[6] == UInt8(ascii: "."),
              let major = digit(version[5]), let minor = digit(version[7]) else {
            throw HTTPError.badRequest("malformed HTTP version in the request line")
        }
        guard major == 1, minor <= 1 else {
            throw HTTPError(.httpVersionNotSupported, detail: "HTTP/\(major).\(minor) is not supported; use HTTP/1.1")
        }
        return (HTTPMethod(method), target, HTTPVersion(major: major, minor: minor))
    }

    private static func digit(_ b: UInt8) -> Int? { b >= 0x30 && b <= 0x39 ? Int(b - 0x30) : nil }

    static func framing(of headers: HTTPHeaders, version: HTTPVersion) throws -> BodyFraming {
        var contentLength: Int?
        var hasTransferEncoding = false
        var hostCount = 0
        for field in headers.fields {
            if HTTPHeaders.namesEqual(field.name, "Content-Length") {
                guard contentLength == nil else { throw HTTPError.badRequest("duplicate Content-Length") }
                contentLength = try parseContentLength(field.value)
            } else if HTTPHeaders.namesEqual(field.name, "Transfer-Encoding") {
                hasTransferEncoding = true
            } else if HTTPHeaders.namesEqual(field.name, "Host") {
                hostCount += 1
            }
        }
        if version == .http1_1, hostCount != 1 {
            throw HTTPError.badRequest(hostCount == 0 ? "missing Host header" : "more than one Host header")
        }
        guard hasTransferEncoding else { return contentLength.map { .length($0) } ?? .none }
        guard contentLength == nil else { throw HTTPError.badRequest("both Content-Length and Transfer-Encoding") }
        guard version == .http1_1 else { throw HTTPError.badRequest("Transfer-Encoding in an HTTP/1.0 request") }
        let codings = headers.tokens(for: "Transfer-Encoding")
        if let unknown = codings.first(where: { $0 != "chunked" }) {
            throw HTTPError(.notImplemented, detail: "transfer coding '\(unknown)' is not supported; only chunked is")
        }
        guard codings.count == 1 else { throw HTTPError.badRequest("chunked must appear exactly once in Transfer-Encoding") }
        return .chunked
    }

    /// `1*DIGIT` and nothing else: no sign, no list, no inner spaces, at most 18 digits.
    static func parseContentLength(_ value: String) throws -> Int {
        let utf8 = value.utf8
        guard !utf8.isEmpty, utf8.count <= 18, utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw HTTPError.badRequest("invalid Content-Length '\(value)'")
        }
        return utf8.reduce(0) { $0 * 10 + Int($1 - 0x30) }
    }

    private static func keepAlive(_ headers: HTTPHeaders, _ version: HTTPVersion) -> Bool {
        guard headers.contains("Connection") else { return version == .http1_1 }
        let tokens = headers.tokens(for: "Connection")
        if tokens.contains("close") { return false }
        return version == .http1_1 || tokens.contains("keep-alive")
    }

    private static func expectsContinue(_ headers: HTTPHeaders) throws -> Bool {
        guard let expect = headers["Expect"] else { return false }
        guard expect.lowercased() == "100-continue" else {
            throw HTTPError(.expectationFailed, detail: "unsupported expectation '\(expect)'")
        }
        return true
    }
}

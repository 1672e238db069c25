/// How a response body is delimited on the wire.
enum ResponseFraming: Equatable {
    /// No body bytes follow (HEAD, 204, 304), whatever the headers say.
    case none
    case length(Int)
    case chunked
    /// HTTP/1.0 without a known length: the body ends when the connection closes.
    case untilClose
}

/// A header name or value that would break the framing of the response (CR, LF, NUL, or a
/// name that is not a token).
public struct InvalidHeaderError: Error, CustomStringConvertible, Sendable {
    public var name: String
    public var description: String { "response header '\(name)' contains a character that is not allowed (CR, LF, NUL or a non-token name)" }
}

/// Serialises a response head (status line, fields, blank line) into bytes, adding the
/// fields the engine owns: `Content-Length` or `Transfer-Encoding`, `Connection`, `Date`.
/// Handler-supplied copies of those are dropped so the framing cannot be contradicted.
enum ResponseHeadEncoder {
    static func encode(status: HTTPStatus, headers: HTTPHeaders, framing: ResponseFraming, contentLength: Int?,
                       keepAlive: Bool, version: HTTPVersion, date: [UInt8], serverName: String?,
                       reserveExtra: Int = 0) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 + headers.count * 40 + reserveExtra)
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendStatusCode(status.code, to: &out)
        out.append(ByteClass.space)
        out.append(contentsOf: status.reason.utf8)
        out.append(contentsOf: "\r\n".utf8)
        for field in headers.fields {
            if isEngineOwned(field.name) { continue }
            try appendValidated(field.name, field.value, to: &out)
        }
        switch framing {
        case .chunked:
            out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        case .length(let n):
            appendContentLength(n, to: &out)
        case .none, .untilClose:
            if let contentLength, status.code != 204, status.code >= 200 { appendContentLength(contentLength, to: &out) }
        }
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if version == .http1_0 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        if let serverName {
            out.append(contentsOf: "Server: ".utf8)
            out.append(contentsOf: serverName.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\n".utf8)
        return out
    }

    private static func isEngineOwned(_ name: String) -> Bool {
        switch name.utf8.count {
        case 4: return HTTPHeaders.namesEqual(name, "Date")
        case 10: return HTTPHeaders.namesEqual(name, "Connection")
        case 14: return HTTPHeaders.namesEqual(name, "Content-Length")
        case 17: return HTTPHeaders.namesEqual(name, "Transfer-Encoding")
        default: return false
        }
    }

    /// Throws `InvalidHeaderError` for the first field that could not be sent.
    static func validate(_ headers: HTTPHeaders) throws {
        var scratch: [UInt8] = []
        for field in headers.fields {
            try appendValidated(field.name, field.value, to: &scratch)
            scratch.removeAll(keepingCapacity: true)
        }
    }

    static func appendValidated(_ name: String, _ value: String, to out: inout [UInt8]) throws {
        guard !name.isEmpty, name.utf8.allSatisfy(ByteClass.isTokenChar) else { throw InvalidHeaderError(name: name) }
        guard value.utf8.allSatisfy({ $0 != 0 && $0 != ByteClass.cr && $0 != ByteClass.lf }) else { throw InvalidHeaderError(name: name) }
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: ": ".utf8)
        out.append(contentsOf: value.utf8)
        out.append(contentsOf: "\r\n".utf8)
    }

    private static func appendContentLength(_ n: Int, to out: inout [UInt8]) {
        out.append(contentsOf: "Content-Length: ".utf8)
        appendDecimal(n, to: &out)
        out.append(contentsOf: "\r\n".utf8)
    }

    private static func appendStatusCode(_ code: Int, to out: inout [UInt8]) {
        out.append(UInt8(48 + code / 100 % 10))
        out.append(UInt8(48 + code / 10 % 10))
        out.append(UInt8(48 + code % 10))
    }

    static func appendDecimal(_ value: Int, to out: inout [UInt8]) {
        if value < 10 {
            out.append(UInt8(48 + value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = value, count = 0
        withUnsafeMutableBytes(of: &digits) { buf in
            while n > 0 {
                buf[count] = UInt8(48 + n % 10)
                n /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) { out.append(buf[i]) }
        }
    }
}

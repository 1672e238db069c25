/// A complete response: status, headers and the whole body in memory. The engine adds
/// `Content-Length`, `Date` and `Connection`, and sends head and body in one system call.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: [UInt8]
    /// The body may be gzip-compressed when the client accepts it (the engine then adds
    /// `Content-Encoding: gzip` and `Vary: Accept-Encoding`).
    public var compressible: Bool

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], compressible: Bool = false) {
        self.status = status
        self.headers = headers
        self.body = body
        self.compressible = compressible
    }

    /// A response with a text body and `Content-Type: text/plain; charset=utf-8`.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8), compressible: true)
    }

    /// A response with an already encoded JSON body.
    public static func json(_ bytes: [UInt8], status: HTTPStatus = .ok, contentType: String = "application/json") -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": contentType], body: bytes, compressible: true)
    }

    /// An `application/problem+json` (RFC 9457) response for an `HTTPError`.
    public static func problem(_ error: HTTPError) -> HTTPResponse {
        ProblemDetails.response(for: error)
    }
}

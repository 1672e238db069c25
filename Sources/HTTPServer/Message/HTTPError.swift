/// An error that maps to an HTTP status: thrown by the parser for malformed input, by the
/// request body for limits, and by handlers that want a specific status. The engine answers
/// it as `application/problem+json` (RFC 9457) when no response has started.
public struct HTTPError: Error, Sendable, CustomStringConvertible, Equatable {
    public var status: HTTPStatus
    /// A short, stable summary of the problem type (`title` in problem+json).
    public var title: String
    /// What exactly was wrong, and where (`detail` in problem+json).
    public var detail: String

    public init(_ status: HTTPStatus, title: String? = nil, detail: String) {
        self.status = status
        self.title = title ?? status.reason
        self.detail = detail
    }

    public var description: String { "\(status.code) \(title): \(detail)" }

    static func badRequest(_ detail: String) -> HTTPError { HTTPError(.badRequest, detail: detail) }
}

extension HTTPError {
    /// 413 for a body past its route's limit, which counts the body's content: after
    /// decompression for a compressed body, the bytes on the wire otherwise. `declared` is
    /// the `Content-Length` of a body refused before it was read.
    public static func bodyTooLarge(limit: Int, declared: Int? = nil) -> HTTPError {
        let size = limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
        let body = declared.map { "the request body of \($0) bytes" } ?? "the request body"
        return HTTPError(.contentTooLarge, detail: "\(body) is larger than this route's limit of \(size) (counted after decompression)")
    }
}

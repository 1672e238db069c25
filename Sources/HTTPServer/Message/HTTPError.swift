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

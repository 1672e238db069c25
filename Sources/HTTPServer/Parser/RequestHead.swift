/// A parsed request head: the request line, the header fields, and what they say about
/// framing and the connection.
struct RequestHead: Sendable {
    var method: HTTPMethod
    var target: String
    var version: HTTPVersion
    var headers: HTTPHeaders
    /// How the body is delimited (RFC 9112 §6.3).
    var framing: BodyFraming
    /// Whether the client wants the connection kept open after this exchange.
    var keepAlive: Bool
    /// `Expect: 100-continue` was sent: the client waits for a 100 before the body.
    var expectsContinue: Bool
}

/// How a request body is delimited.
enum BodyFraming: Equatable, Sendable {
    case none
    case length(Int)
    case chunked

    var hasBody: Bool { self != .none && self != .length(0) }
}

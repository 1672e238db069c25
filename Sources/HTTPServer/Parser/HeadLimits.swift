/// Size limits on a request head (RFC 9112 leaves them to the server).
struct HeadLimits: Sendable {
    /// Longest request line, without CRLF → 414 past it.
    var maxRequestLine: Int
    /// Longest single header line → 431.
    var maxHeaderLine: Int
    /// All header lines together, without the request line → 431.
    var maxHeaderBytes: Int
    /// Most header fields → 431.
    var maxHeaderCount: Int
}

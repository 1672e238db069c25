/// Where an `HTTPResponseWriter` sends its response: an HTTP/1.1 exchange on a connection
/// or an HTTP/2 stream. The writer encodes (compression, chunked coding) in the handler's
/// task; the transport hops to its connection's I/O queue, queues the bytes and resumes the
/// caller when the connection's buffer has room (the backpressure contract of `write`).
protocol ResponseTransport: AnyObject, Sendable {
    /// A HEAD request served by a GET handler: headers are sent, body bytes are dropped.
    var isHeadRequest: Bool { get }
    /// The protocol frames the body itself (HTTP/2 DATA frames): the writer sends raw bytes,
    /// never the chunked coding, and hands trailers to the transport as fields.
    var framesBody: Bool { get }

    /// Sends the head, and for a one-shot response (`finished`) the body and its end.
    func sendHead(status: HTTPStatus, headers: HTTPHeaders, framing: ResponseFraming,
                  body: [[UInt8]], finished: Bool) async throws
    /// Sends body bytes; with `finished` the response ends (with `trailers` when the
    /// transport frames the body; HTTP/1.1 trailers are already in the last chunk).
    func sendBody(_ segments: [[UInt8]], finished: Bool, trailers: HTTPHeaders) async throws
    /// Ends the response abnormally, so the client sees it incomplete.
    func abortResponse()
}

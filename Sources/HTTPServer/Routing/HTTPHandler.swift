/// A handler that answers on the connection's I/O queue, without a task hop: for small,
/// fast routes that need no request body. It must not block (no file or network I/O).
public typealias HTTPSyncHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

/// A handler that runs as a Swift concurrency task: it may pull the request body and
/// stream the response through the writer. Throwing before the response started answers
/// the error (an `HTTPError`'s status, else 500); throwing after aborts the response.
public typealias HTTPStreamingHandler = @Sendable (HTTPRequest, HTTPResponseWriter) async throws -> Void

/// The two kinds of handler a route can have.
public enum HTTPHandler: Sendable {
    case sync(HTTPSyncHandler)
    case streaming(HTTPStreamingHandler)
}

import Dispatch
/// One request handled by an async (streaming) handler: the state shared between the
/// handler's task and the connection's I/O queue. Every `var` here is read and written on
/// the connection's queue only; the task reaches it by hopping there.
final class Exchange: RequestBodySource, @unchecked Sendable {
    // `@unchecked Sendable` guard: every `var` is touched only on the connection's queue; the handler's task hops there.
    enum ResponseState: Equatable {
        case notStarted
        case started
        case finished
        case aborted
    }

    let connection: HTTP1Connection
    let head: RequestHead
    /// A HEAD request served by a GET handler: the body is not sent.
    let isHeadRequest: Bool
    let startedAt: UInt64

    var bodyWaiter: CheckedContinuation<[UInt8]?, any Error>?
    /// Set once the body failed (limit, framing, timeout, client gone): later pulls rethrow it.
    var bodyError: (any Error)?
    var continueSent = false
    /// Trailer fields of a chunked body, set when its end was decoded (before the pull that
    /// returns nil is resumed, so the handler sees them after the body ended).
    var bodyTrailers = HTTPHeaders()
    var writeWaiter: CheckedContinuation<Void, any Error>?
    var response = ResponseState.notStarted
    var status = 0
    var bodyBytesSent = 0
    /// Took one of the server's `maxConcurrentBodies` slots (released when the exchange ends).
    var holdsBodySlot = false

    init(connection: HTTP1Connection, head: RequestHead, isHeadRequest: Bool, startedAt: UInt64) {
        self.connection = connection
        self.head = head
        self.isHeadRequest = isHeadRequest
        self.startedAt = startedAt
    }

    func nextBodyChunk() async throws -> [UInt8]? {
        try await withCheckedThrowingContinuation { continuation in
            connection.loop.queue.async { self.connection.bodyChunkRequested(self, continuation) }
        }
    }

    /// Runs `operation` on the connection's queue and waits for it to resume the continuation.
    func onConnection<T>(_ operation: @escaping @Sendable (HTTP1Connection, Exchange, CheckedContinuation<T, any Error>) -> Void) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            connection.loop.queue.async { operation(self.connection, self, continuation) }
        }
    }
}

/// The connection went away (client closed, reset, timed out, or the server shut down)
/// before a response or body operation could complete.
public struct ConnectionClosedError: Error, CustomStringConvertible, Sendable {
    public var description: String { "the connection is closed" }
}

extension Exchange: ResponseTransport {
    var framesBody: Bool { false }

    func sendHead(status: HTTPStatus, headers: HTTPHeaders, framing: ResponseFraming,
                  body: [[UInt8]], finished: Bool) async throws {
        try await onConnection { connection, exchange, continuation in
            connection.responseStarted(exchange, status: status, headers: headers, framing: framing,
                                       body: body, finished: finished, continuation)
        }
    }

    func sendBody(_ segments: [[UInt8]], finished: Bool, trailers: HTTPHeaders) async throws {
        try await onConnection { connection, exchange, continuation in
            connection.responseWrote(exchange, segments, finished: finished, continuation)
        }
    }

    func abortResponse() {
        connection.loop.queue.async { self.connection.responseAborted(self) }
    }
}

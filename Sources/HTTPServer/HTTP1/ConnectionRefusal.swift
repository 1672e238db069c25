/// The answer to a connection past `maxConnections`: a 503 problem with `Retry-After`,
/// sent at once (before any request, as a load balancer does when it sheds load), then the
/// orderly close of `ConnectionIO`, so a request the client sent meanwhile does not turn into
/// a reset that destroys the answer. The connection holds no HTTP state at all.
enum ConnectionRefusal {
    static func start(_ io: ConnectionIO) {
        io.loop.assertOnQueue()
        io.start(handler: nil)
        io.output.append(response(io))
        io.closeAfterFlush()
    }

    static func response(_ io: ConnectionIO) -> [UInt8] {
        let context = io.context
        let problem = context.busy("the server is serving its maximum of \(context.maxConnections) connections; retry shortly")
        guard var bytes = try? ResponseHeadEncoder.encode(
            status: problem.status, headers: problem.headers, framing: .length(problem.body.count), contentLength: nil,
            keepAlive: false, version: .http1_1, date: io.loop.dateHeader.current,
            serverName: context.configuration.serverName, reserveExtra: problem.body.count) else { return [] }
        bytes.append(contentsOf: problem.body)
        return bytes
    }
}

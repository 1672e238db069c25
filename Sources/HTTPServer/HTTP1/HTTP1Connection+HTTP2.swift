import Logging
/// Switching a connection to HTTP/2: by prior knowledge (the preface as its first bytes)
/// or by `Upgrade: h2c` on an HTTP/1.1 request (101, then that request on stream 1).
extension HTTP1Connection {
    /// Looks at a new connection's first bytes: true when they are (so far) the HTTP/2
    /// preface, and the connection switched or waits for the rest of it.
    func detectHTTP2Preface() -> Bool {
        switch HTTP2Preface.match(io.input.readable) {
        case .mismatch:
            return false
        case .partial:
            io.wantRead(true)
            return true
        case .complete:
            switchToHTTP2(upgrade: nil)
            return true
        }
    }

    /// Hands the connection's I/O to an `HTTP2Session`, which reads the preface (still in
    /// the input buffer) and everything after it. This object is done afterwards.
    func switchToHTTP2(upgrade: (head: RequestHead, settings: [UInt8])?) {
        state.closed()
        let session = HTTP2Session(io: io)
        if upgrade != nil { io.output.append(HTTP2Upgrade.switchingProtocols) }
        guard session.start(upgrade: upgrade.map { ($0.settings, $0.head.method == .HEAD) }) else {
            session.finish()
            context.logger.debug("HTTP/2 session setup failed", metadata: ["remote": "\(remoteAddress)"])
            return io.closeAfterFlush()
        }
        io.handler = session
        if let upgrade { session.startUpgradedRequest(upgrade.head) }
        session.receiveBuffered()
        session.send()
        if io.isOpen { io.wantRead(true) }
    }
}

import Logging
/// Switching a connection to HTTP/2: by prior knowledge (the preface as its first bytes)
/// or by `Upgrade: h2c` on an HTTP/1.1 request (101, then that request on stream 1).
extension HTTPConnection {
    /// Looks at a new connection's first bytes: true when they are (so far) the HTTP/2
    /// preface, and the connection switched or waits for the rest of it.
    func detectHTTP2Preface() -> Bool {
        switch HTTP2Preface.match(input.readable) {
        case .mismatch:
            return false
        case .partial:
            wantRead(true)
            return true
        case .complete:
            switchToHTTP2(upgrade: nil)
            return true
        }
    }

    /// Hands the connection to an `HTTP2Session`, which reads the preface (still in the
    /// input buffer) and everything after it.
    func switchToHTTP2(upgrade: (head: RequestHead, settings: [UInt8])?) {
        let session = HTTP2Session(connection: self)
        if upgrade != nil { output.append(HTTP2Upgrade.switchingProtocols) }
        guard session.start(upgrade: upgrade.map { ($0.settings, $0.head.method == .HEAD) }) else {
            session.finish()
            context.logger.debug("HTTP/2 session setup failed", metadata: ["remote": "\(remoteAddress)"])
            return beginClosing()
        }
        phase = .http2(session)
        if let upgrade { session.startUpgradedRequest(upgrade.head) }
        session.receiveBuffered()
        session.send()
        if case .http2 = phase { wantRead(true) }
    }
}

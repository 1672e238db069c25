/// The rules of an HTTP/1.1 connection's life as a value: which request may come next, when
/// it stays open (keep-alive) and when it must close, and every timeout. Events go in with
/// the time they happened (`now`, nanoseconds on any monotonic clock; the connection passes
/// its loop's coarse clock, tests pass their own), decisions come out. It does no I/O and
/// holds no reference, so each rule is tested without a socket or a sleep.
///
/// The socket-level timeouts (a blocked send, the linger after closing) are
/// `ConnectionIO`'s; the parsing of heads and bodies is the connection's.
struct HTTP1ConnectionState: Sendable {
    struct Rules: Sendable {
        /// From a request head's first byte to its end; also how long a new connection may
        /// stay silent before its first request.
        var headerTimeout: Duration
        /// How long a connection may stay idle between requests.
        var keepAliveTimeout: Duration
        /// How long a handler may wait for the next body bytes, and a drained body may stall.
        var bodyIdleTimeout: Duration
        /// Requests served before the connection closes (0: no limit).
        var maxRequestsPerConnection: Int
        /// Unread body bytes the server reads and discards to keep a connection open.
        var drainLimit: Int
    }

    enum Phase: Equatable, Sendable {
        /// Waiting for (or reading) the next request head.
        case awaitingHead
        /// A handler owns the request.
        case exchange
        /// Reading and discarding a request body nobody read, before the next request.
        case draining
        /// The connection is closing or closed; nothing more happens.
        case closed
    }

    /// What the facts of a request say about keeping the connection open.
    struct RequestFacts: Sendable {
        /// The client allows keep-alive (HTTP/1.1 without `Connection: close`, or 1.0 with keep-alive).
        var keepAliveRequested: Bool
        var expectsContinue: Bool
        /// `100 Continue` was sent, so the client is sending the body.
        var continueSent: Bool
        /// The request body was read to its end.
        var bodyComplete: Bool
        /// Body bytes still to come, when the framing says (Content-Length).
        var bodyRemaining: Int?
    }

    enum AfterResponse: Equatable, Sendable {
        case close
        case drainBody
        case nextRequest
    }

    enum AfterDrain: Equatable, Sendable {
        case close
        case nextRequest
        case needMore
    }

    enum Timeout: Equatable, Sendable {
        case none
        /// Idle with no request started: close without a word.
        case closeIdle
        /// A head started and did not finish in time: answer 408 and close.
        case headTimedOut
        /// The handler waited too long for body bytes: fail its read with 408.
        case bodyTimedOut
        /// A drained body stalled: close.
        case drainTimedOut
    }

    let rules: Rules
    private(set) var phase = Phase.awaitingHead
    private(set) var requestsServed = 0
    /// The response being sent (or the next one) ends the connection.
    private(set) var closeAfterResponse = false
    private(set) var shuttingDown = false
    private var phaseSince: UInt64
    private var headStartedAt: UInt64?
    private var bodyWaitingSince: UInt64?
    private var drainedBytes = 0

    init(rules: Rules, now: UInt64) {
        self.rules = rules
        phaseSince = now
    }

    /// Only a new connection's first bytes may be the HTTP/2 preface.
    var mayStartHTTP2: Bool { requestsServed == 0 && headStartedAt == nil && phase == .awaitingHead }
    /// Bytes of a request head have arrived (and it has not ended yet).
    var headStarted: Bool { headStartedAt != nil }

    // MARK: Requests

    /// Bytes of the next request head arrived; the header timeout runs from the first.
    mutating func headBytesArrived(now: UInt64) {
        if headStartedAt == nil { headStartedAt = now }
    }

    /// A head was parsed and a handler owns the request until `responseFinished`.
    mutating func exchangeStarted() {
        phase = .exchange
    }

    /// The response (or what follows it) must end the connection: a body that failed, a
    /// response framed by the close, a request the engine refused.
    mutating func mustClose() {
        closeAfterResponse = true
    }

    /// Decided when a response head is encoded: whether it says `keep-alive`. A `false`
    /// also marks the connection to close after this response.
    mutating func keepAlive(for request: RequestFacts?) -> Bool {
        guard let request, !closeAfterResponse, !shuttingDown, request.keepAliveRequested else {
            closeAfterResponse = true
            return false
        }
        var keep = rules.maxRequestsPerConnection == 0 || requestsServed + 1 < rules.maxRequestsPerConnection
        if !request.bodyComplete {
            // A client waiting for 100 Continue that never came will not send the body.
            if request.expectsContinue, !request.continueSent { keep = false }
            if let remaining = request.bodyRemaining, remaining > rules.drainLimit { keep = false }
        }
        if !keep { closeAfterResponse = true }
        return keep
    }

    /// The response was queued whole: close, discard the unread body, or read the next head.
    mutating func responseFinished(bodyComplete: Bool, now: UInt64) -> AfterResponse {
        requestsServed += 1
        headStartedAt = nil
        bodyWaitingSince = nil
        if closeAfterResponse {
            phase = .closed
            return .close
        }
        phaseSince = now
        if !bodyComplete {
            drainedBytes = 0
            phase = .draining
            return .drainBody
        }
        phase = .awaitingHead
        return .nextRequest
    }

    /// `bytes` more of an unread body were discarded.
    mutating func drained(bytes: Int, bodyComplete: Bool, now: UInt64) -> AfterDrain {
        drainedBytes += bytes
        if bodyComplete {
            phase = .awaitingHead
            phaseSince = now
            return .nextRequest
        }
        if drainedBytes > rules.drainLimit {
            phase = .closed
            return .close
        }
        if bytes > 0 { phaseSince = now }
        return .needMore
    }

    // MARK: Request bodies

    /// The handler waits for body bytes; the body idle timeout runs from now.
    mutating func bodyWaitStarted(now: UInt64) {
        bodyWaitingSince = now
    }

    /// Body bytes arrived while the handler waits: the idle timeout starts over.
    mutating func bodyProgressed(now: UInt64) {
        if bodyWaitingSince != nil { bodyWaitingSince = now }
    }

    /// The handler's wait ended (it got bytes, the end, or an error).
    mutating func bodyWaitEnded() {
        bodyWaitingSince = nil
    }

    // MARK: Shutdown and time

    /// Graceful shutdown: true when the connection is idle and closes now; otherwise it
    /// closes after the response in flight. `hasBufferedInput`: bytes of a next request wait.
    mutating func beginShutdown(hasBufferedInput: Bool) -> Bool {
        shuttingDown = true
        closeAfterResponse = true
        if phase == .awaitingHead, !hasBufferedInput, headStartedAt == nil {
            phase = .closed
            return true
        }
        return false
    }

    /// The connection closed for a reason outside these rules (the socket, a protocol switch).
    mutating func closed() {
        phase = .closed
    }

    /// Which timeout, if any, has expired at `now`.
    mutating func checkTimeouts(now: UInt64) -> Timeout {
        switch phase {
        case .awaitingHead:
            if let headStartedAt {
                guard now &- headStartedAt > rules.headerTimeout.nanoseconds else { return .none }
                closeAfterResponse = true
                return .headTimedOut
            }
            let idleLimit = requestsServed == 0 ? rules.headerTimeout : rules.keepAliveTimeout
            guard now &- phaseSince > idleLimit.nanoseconds else { return .none }
            phase = .closed
            return .closeIdle
        case .exchange:
            guard let since = bodyWaitingSince, now &- since > rules.bodyIdleTimeout.nanoseconds else { return .none }
            bodyWaitingSince = nil
            closeAfterResponse = true
            return .bodyTimedOut
        case .draining:
            guard now &- phaseSince > rules.bodyIdleTimeout.nanoseconds else { return .none }
            phase = .closed
            return .drainTimedOut
        case .closed:
            return .none
        }
    }
}

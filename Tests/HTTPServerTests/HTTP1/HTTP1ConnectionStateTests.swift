import Testing
@testable import HTTPServer

/// Every HTTP/1.1 keep-alive and timeout rule, on the state value alone: the clock is a
/// number the test moves, so no socket and no sleep is involved.
@Suite struct HTTP1ConnectionStateTests {
    /// A clock in whole seconds, handed to the state in nanoseconds.
    struct FakeClock {
        var seconds: UInt64 = 1_000
        var now: UInt64 { seconds * 1_000_000_000 }
        mutating func advance(_ s: UInt64) { seconds += s }
    }

    static let rules = HTTP1ConnectionState.Rules(
        headerTimeout: .seconds(10), keepAliveTimeout: .seconds(5), bodyIdleTimeout: .seconds(30),
        maxRequestsPerConnection: 3, drainLimit: 1_000)

    static func request(keepAlive: Bool = true, expectsContinue: Bool = false, continueSent: Bool = false,
                        bodyComplete: Bool = true, remaining: Int? = nil) -> HTTP1ConnectionState.RequestFacts {
        .init(keepAliveRequested: keepAlive, expectsContinue: expectsContinue, continueSent: continueSent,
              bodyComplete: bodyComplete, bodyRemaining: remaining)
    }

    /// Serves one complete request that keeps the connection open.
    static func serve(_ state: inout HTTP1ConnectionState, clock: FakeClock) {
        state.headBytesArrived(now: clock.now)
        state.exchangeStarted()
        state.expectKeepAlive(true, for: request())
        state.expectAfterResponse(.nextRequest, bodyComplete: true, now: clock.now)
    }

    // MARK: Idle and head timeouts

    @Test func aSilentNewConnectionClosesAfterTheHeaderTimeout() {
        var clock = FakeClock()
        var state = HTTP1ConnectionState(rules: Self.rules, now: clock.now)
        clock.advance(10)
        state.expectTimeout(.none, at: clock.now)
        clock.advance(1)
        state.expectTimeout(.closeIdle, at: clock.now)
        #expect(state.phase == .closed)
        state.expectTimeout(.none, at: clock.now)
    }

    @Test func anIdleKeptAliveConnectionClosesAfterTheKeepAliveTimeout() {
        var clock = FakeClock()
        var state = HTTP1ConnectionState(rules: Self.rules, now: clock.now)
        clock.advance(8)
        Self.serve(&state, clock: clock)
        clock.advance(5)
        state.expectTimeout(.none, at: clock.now)
        clock.advance(1)
        state.expectTimeout(.closeIdle, at: clock.now)
    }

    @Test func aSlowHeadTimesOutFromItsFirstByteAndMustClose() {
        var clock = FakeClock()
        var state = HTTP1ConnectionState(rules: Self.rules, now: clock.now)
        Self.serve(&state, clock: clock)
        clock.advance(4)
        state.headBytesArrived(now: clock.now)
        clock.advance(3)
        state.headBytesArrived(now: clock.now)  // later bytes do not restart the timeout
        clock.advance(6)
        // Past the keep-alive timeout since the last response, but the head has its own.
        state.expectTimeout(.none, at: clock.now)
        clock.advance(2)
        state.expectTimeout(.headTimedOut, at: clock.now)
        #expect(state.closeAfterResponse)
        state.expectKeepAlive(false, for: nil)
        state.expectAfterResponse(.close, bodyComplete: true, now: clock.now)
    }

    @Test func theHeaderTimeoutRestartsWithEachRequest() {
        var clock = FakeClock()
        var state = HTTP1ConnectionState(rules: Self.rules, now: clock.now)
        state.headBytesArrived(now: clock.now)
        clock.advance(9)
        state.exchangeStarted()
        state.expectKeepAlive(true, for: Self.request())
        state.expectAfterResponse(.nextRequest, bodyComplete: true, now: clock.now)
        state.headBytesArrived(now: clock.now)
        clock.advance(9)
        state.expectTimeout(.none, at: clock.now)
        #expect(state.headStarted)
    }

    // MARK: Request bodies

    @Test func aHandlerWaitingForBodyBytesTimesOutOnlyWhileItWaits() {
        var clock = FakeClock()
        var state = HTTP1ConnectionState(rules: Self.rules, now: clock.now)
        state.headBytesArrived(now: clock.now)
        state.exchangeStarted()
        clock.advance(100)
        state.expectTimeout(.none, at: clock.now, "a handler busy elsewhere is not timed")
        state.bodyWaitStarted(now: clock.now)
        clock.advance(20)
        state.bodyProgressed(now: clock.now)
        clock.advance(20)
        state.expectTimeout(.none, at: clock.now, "bytes 20 s ago restarted the wait")
        state.bodyWaitEnded()
        clock.advance(100)
        state.expectTimeout(.none, at: clock.now)
        state.bodyWaitStarted(now: clock.now)
        clock.advance(31)
        state.expectTimeout(.bodyTimedOut, at: clock.now)
        state.expectTimeout(.none, at: clock.now, "reported once")
        #expect(state.closeAfterResponse)
        state.expectKeepAlive(false, for: Self.request())
    }

    @Test func anUnreadBodyIsDrainedThenTheNextRequestIsRead() {
        var clock = FakeClock()
        var state = HTTP1ConnectionState(rules: Self.rules, now: clock.now)
        state.headBytesArrived(now: clock.now)
        state.expectKeepAlive(true, for: Self.request(bodyComplete: false, remaining: 800))
        state.expectAfterResponse(.drainBody, bodyComplete: false, now: clock.now)
        #expect(state.phase == .draining)
        state.expectAfterDrain(.needMore, bytes: 500, bodyComplete: false, now: clock.now)
        clock.advance(25)
        state.expectAfterDrain(.needMore, bytes: 0, bodyComplete: false, now: clock.now)
        state.expectAfterDrain(.needMore, bytes: 200, bodyComplete: false, now: clock.now)
        clock.advance(25)
        state.expectTimeout(.none, at: clock.now, "the last bytes came 25 s ago")
        state.expectAfterDrain(.nextRequest, bytes: 100, bodyComplete: true, now: clock.now)
        #expect(state.phase == .awaitingHead)
    }

    @Test func aStalledDrainCloses() {
        var clock = FakeClock()
        var state = HTTP1ConnectionState(rules: Self.rules, now: clock.now)
        state.expectKeepAlive(true, for: Self.request(bodyComplete: false))
        state.expectAfterResponse(.drainBody, bodyComplete: false, now: clock.now)
        state.expectAfterDrain(.needMore, bytes: 100, bodyComplete: false, now: clock.now)
        clock.advance(25)
        state.expectAfterDrain(.needMore, bytes: 0, bodyComplete: false, now: clock.now)
        clock.advance(6)
        state.expectTimeout(.drainTimedOut, at: clock.now, "a read of no bytes is no progress")
        #expect(state.phase == .closed)
    }

    @Test func drainingPastTheLimitCloses() {
        let clock = FakeClock()
        var state = HTTP1ConnectionState(rules: Self.rules, now: clock.now)
        state.expectKeepAlive(true, for: Self.request(bodyComplete: false), "chunked: the length is unknown")
        state.expectAfterResponse(.drainBody, bodyComplete: false, now: clock.now)
        state.expectAfterDrain(.needMore, bytes: 1_000, bodyComplete: false, now: clock.now)
        state.expectAfterDrain(.close, bytes: 1, bodyComplete: false, now: clock.now)
    }

    // MARK: Keep-alive

    @Test func keepAliveFollowsTheClient() {
        var state = HTTP1ConnectionState(rules: Self.rules, now: 0)
        state.expectKeepAlive(false, for: Self.request(keepAlive: false))
        state.expectAfterResponse(.close, bodyComplete: true, now: 0)
    }

    @Test func theRequestLimitClosesWithTheLastAllowedResponse() {
        let clock = FakeClock()
        var state = HTTP1ConnectionState(rules: Self.rules, now: clock.now)
        Self.serve(&state, clock: clock)
        Self.serve(&state, clock: clock)
        state.expectKeepAlive(false, for: Self.request(), "the third of three requests says close")
        state.expectAfterResponse(.close, bodyComplete: true, now: clock.now)
        #expect(state.requestsServed == 3)
    }

    @Test func noLimitMeansNoLimit() {
        var rules = Self.rules
        rules.maxRequestsPerConnection = 0
        let clock = FakeClock()
        var state = HTTP1ConnectionState(rules: rules, now: clock.now)
        for _ in 0..<100 { Self.serve(&state, clock: clock) }
        #expect(state.requestsServed == 100)
    }

    @Test func anUnsentContinueClosesBecauseTheBodyWillNotCome() {
        var state = HTTP1ConnectionState(rules: Self.rules, now: 0)
        state.expectKeepAlive(false, for: Self.request(expectsContinue: true, bodyComplete: false, remaining: 10))
        var sent = HTTP1ConnectionState(rules: Self.rules, now: 0)
        sent.expectKeepAlive(true, for: Self.request(expectsContinue: true, continueSent: true, bodyComplete: false, remaining: 10))
        var read = HTTP1ConnectionState(rules: Self.rules, now: 0)
        read.expectKeepAlive(true, for: Self.request(expectsContinue: true, bodyComplete: true), "a body read to its end needs no continue")
    }

    @Test func aBodyTooLargeToDrainCloses() {
        var state = HTTP1ConnectionState(rules: Self.rules, now: 0)
        state.expectKeepAlive(false, for: Self.request(bodyComplete: false, remaining: 1_001))
        var small = HTTP1ConnectionState(rules: Self.rules, now: 0)
        small.expectKeepAlive(true, for: Self.request(bodyComplete: false, remaining: 1_000))
    }

    @Test func mustCloseWinsOverEverything() {
        var state = HTTP1ConnectionState(rules: Self.rules, now: 0)
        state.mustClose()
        state.expectKeepAlive(false, for: Self.request())
        state.expectAfterResponse(.close, bodyComplete: true, now: 0)
    }

    // MARK: Shutdown and protocol switch

    @Test func shutdownClosesAnIdleConnectionNowAndABusyOneAfterItsResponse() {
        var idle = HTTP1ConnectionState(rules: Self.rules, now: 0)
        idle.expectShutdown(closesNow: true, hasBufferedInput: false)
        #expect(idle.phase == .closed)

        var pending = HTTP1ConnectionState(rules: Self.rules, now: 0)
        pending.expectShutdown(closesNow: false, hasBufferedInput: true, "a request already sent is answered")

        var busy = HTTP1ConnectionState(rules: Self.rules, now: 0)
        busy.headBytesArrived(now: 0)
        busy.exchangeStarted()
        busy.expectShutdown(closesNow: false, hasBufferedInput: false)
        busy.expectKeepAlive(false, for: Self.request())
        busy.expectAfterResponse(.close, bodyComplete: true, now: 0)
    }

    @Test func onlyANewConnectionsFirstBytesMayStartHTTP2() {
        let clock = FakeClock()
        var state = HTTP1ConnectionState(rules: Self.rules, now: clock.now)
        #expect(state.mayStartHTTP2)
        state.headBytesArrived(now: clock.now)
        #expect(state.mayStartHTTP2 == false)
        var served = HTTP1ConnectionState(rules: Self.rules, now: clock.now)
        Self.serve(&served, clock: clock)
        #expect(served.mayStartHTTP2 == false)
    }
}

/// Mutating calls cannot sit inside `#expect`; these make the call and check its answer.
extension HTTP1ConnectionState {
    mutating func expectTimeout(_ expected: Timeout, at now: UInt64, _ comment: Comment? = nil,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = checkTimeouts(now: now)
        #expect(actual == expected, comment, sourceLocation: sourceLocation)
    }

    mutating func expectKeepAlive(_ expected: Bool, for request: RequestFacts?, _ comment: Comment? = nil,
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = keepAlive(for: request)
        #expect(actual == expected, comment, sourceLocation: sourceLocation)
    }

    mutating func expectAfterResponse(_ expected: AfterResponse, bodyComplete: Bool, now: UInt64,
                                      sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = responseFinished(bodyComplete: bodyComplete, now: now)
        #expect(actual == expected, sourceLocation: sourceLocation)
    }

    mutating func expectAfterDrain(_ expected: AfterDrain, bytes: Int, bodyComplete: Bool, now: UInt64,
                                   sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = drained(bytes: bytes, bodyComplete: bodyComplete, now: now)
        #expect(actual == expected, sourceLocation: sourceLocation)
    }

    mutating func expectShutdown(closesNow expected: Bool, hasBufferedInput: Bool, _ comment: Comment? = nil,
                                 sourceLocation: SourceLocation = #_sourceLocation) {
        let actual = beginShutdown(hasBufferedInput: hasBufferedInput)
        #expect(actual == expected, comment, sourceLocation: sourceLocation)
    }
}

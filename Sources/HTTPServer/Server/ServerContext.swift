import Logging
import SluiceLocks

/// What every connection of a server shares: configuration, router, logger and the
/// statistics counters. Immutable apart from the locked statistics.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let router: Router
    let logger: Logger
    let accessLog: AccessLog
    let statistics = Locked(HTTPServerStatistics())
    let headLimits: HeadLimits
    /// Largest input buffer a connection grows to: a maximal head plus slack, or a body read.
    let maxInputCapacity: Int
    let lingerTimeout: UInt64
    /// Connections served at once (`HTTPServerConfiguration.effectiveMaxConnections`).
    let maxConnections: Int
    /// Refused connections allowed to linger at once; past them a connection is closed
    /// unanswered (the descriptors kept in reserve bound them).
    let refusalMargin: Int

    init(configuration: HTTPServerConfiguration, router: Router, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        accessLog = AccessLog(logger: logger, client: configuration.accessLogClient)
        headLimits = configuration.headLimits
        var headCapacity = 4096
        while headCapacity < configuration.maxRequestLineLength + configuration.maxHeaderBytes + 4096 { headCapacity *= 2 }
        maxInputCapacity = max(headCapacity, configuration.requestBodyChunkSize)
        lingerTimeout = min(2_000_000_000, configuration.headerTimeout.nanoseconds)
        maxConnections = configuration.effectiveMaxConnections
        refusalMargin = min(64, max(8, maxConnections / 8))
    }

    enum Admission {
        case serve
        /// Answer 503 and close.
        case refuse
        /// Close unanswered: even the refusals are at their limit.
        case drop
    }

    /// Counts a new connection in, or decides to refuse it at the connection limit.
    func admitConnection() -> Admission {
        statistics.withLock { s in
            s.acceptedConnections += 1
            if s.openConnections < maxConnections {
                s.openConnections += 1
                return .serve
            }
            s.refusedConnections += 1
            guard s.refusingConnections < refusalMargin else { return .drop }
            s.refusingConnections += 1
            return .refuse
        }
    }

    /// Takes one of `maxConcurrentBodies` slots for a request body about to be read; false
    /// when all are taken (the request is then answered 503 unread).
    func admitBody() -> Bool {
        let limit = configuration.maxConcurrentBodies
        return statistics.withLock { s in
            guard limit == 0 || s.bodiesInFlight < limit else {
                s.refusedBodies += 1
                return false
            }
            s.bodiesInFlight += 1
            return true
        }
    }

    func releaseBody() {
        statistics.withLock { $0.bodiesInFlight -= 1 }
    }

    /// The engine's "busy, retry shortly": 503 problem+json with `Retry-After: 1`, for a
    /// connection past `maxConnections` or a body past `maxConcurrentBodies`.
    func busy(_ detail: String) -> HTTPResponse {
        var response = problem(HTTPError(.serviceUnavailable, detail: detail))
        response.headers["Retry-After"] = "1"
        return response
    }

    /// The 503 for a request whose body would exceed `maxConcurrentBodies`.
    func tooManyBodiesResponse() -> HTTPResponse {
        busy("the server is reading its maximum of \(configuration.maxConcurrentBodies) request bodies at once; retry shortly")
    }

    /// `headers` plus the configuration's extra response fields for this request.
    func responseHeaders(_ headers: HTTPHeaders, request: HTTPHeaders?) -> HTTPHeaders {
        guard let extra = configuration.extraResponseHeaders, let request else { return headers }
        var merged = headers
        for (name, value) in extra(request) {
            if HTTPHeaders.namesEqual(name, "Vary"), let vary = merged["Vary"] {
                merged["Vary"] = vary + ", " + value
            } else {
                merged.add(name, value)
            }
        }
        return merged
    }

    /// The problem+json response the engine answers for `error` itself.
    func problem(_ error: HTTPError) -> HTTPResponse {
        ProblemDetails.response(for: error, typePrefix: configuration.problemTypePrefix)
    }
}

/// Counters for tests, benchmarks and metrics.
public struct HTTPServerStatistics: Sendable {
    /// Connections being served (refused ones not included).
    public var openConnections = 0
    public var acceptedConnections = 0
    /// Connections answered 503 at the connection limit (or closed at once past its margin).
    public var refusedConnections = 0
    /// Refused connections still sending their 503 or lingering.
    public var refusingConnections = 0
    /// Requests answered 503 because `maxConcurrentBodies` bodies were being read.
    public var refusedBodies = 0
    /// Request bodies being read now.
    public var bodiesInFlight = 0

    public init() {}
    /// The largest number of response bytes any one connection held buffered: bounded by
    /// the high-water mark plus one write when producers respect backpressure.
    public var peakBufferedOutputBytes = 0
}

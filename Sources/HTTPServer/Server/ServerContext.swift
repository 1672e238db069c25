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
    public var openConnections = 0
    public var acceptedConnections = 0
    /// The largest number of response bytes any one connection held buffered: bounded by
    /// the high-water mark plus one write when producers respect backpressure.
    public var peakBufferedOutputBytes = 0
}

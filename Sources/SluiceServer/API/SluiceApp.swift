import Foundation
import HTTPServer
import Logging
import SluiceCore

/// A running Sluice: the REST API over a catalog, served by the HTTP engine.
///
/// ```swift
/// let app = try SluiceApp(catalog: catalog, options: .init(port: 8080))
/// try app.start()
/// await app.runUntilTerminated()   // SIGTERM/SIGINT: graceful shutdown
/// ```
public final class SluiceApp: Sendable {
    public struct Options: Sendable {
        public var hosts: [String] = ["127.0.0.1"]
        public var port = 8080
        /// The browser page's files: built into the binary by default.
        public var page = PageFiles.embedded
        /// The spec served at `/openapi.yaml`; nil serves the copy built into the binary.
        public var openAPIFile: String?
        public var limits = APILimits()
        /// Idle time after which an open write session is aborted.
        public var sessionTTL: TimeInterval = 3600
        /// Access tokens and their scopes; none configured means no token checks.
        public var auth = AuthSettings()
        /// Which other origins browsers may call the API from.
        public var cors = CORSPolicy()
        /// The HTTP engine's settings (hosts and port are taken from above).
        public var http = HTTPServerConfiguration()

        public init(hosts: [String] = ["127.0.0.1"], port: Int = 8080) {
            self.hosts = hosts
            self.port = port
        }
    }

    public let api: SluiceAPI
    public let server: HTTPServer
    public let logger: Logger

    public init(catalog: Catalog, options: Options, store: any WriteSessionStore = InMemoryWriteSessionStore(),
                logger: Logger = Logger(label: "sluice")) {
        self.logger = logger
        let sessions = WriteSessionManager(catalog: catalog, store: store, idleTTL: options.sessionTTL, logger: logger)
        api = SluiceAPI(catalog: catalog, sessions: sessions, limits: options.limits,
                        page: options.page, openAPIFile: options.openAPIFile, auth: options.auth, cors: options.cors, logger: logger)
        let router = Router()
        api.register(on: router)
        var http = options.http
        http.hosts = options.hosts
        http.port = options.port
        http.problemTypePrefix = APIError.typePrefix
        if options.auth.isEnabled {
            let accessControl = api.accessControl
            http.accessLogClient = { accessControl.clientName($0) }
        }
        if options.cors.isEnabled {
            let cors = options.cors
            http.extraResponseHeaders = { cors.responseFields(for: $0) }
        }
        server = HTTPServer(configuration: http, router: router, logger: logger)
        api.serverStatistics.attach(server)
    }

    /// The bound port (useful with port 0).
    public var port: Int { server.port }

    /// The address to open in a browser: the first host (a wildcard one reached on
    /// loopback) and the bound port.
    public var url: String {
        let host = server.configuration.hosts.first ?? "127.0.0.1"
        let reachable = host == "0.0.0.0" ? "127.0.0.1" : host == "::" || host == "[::]" ? "::1" : host
        let bracketed = reachable.contains(":") && !reachable.hasPrefix("[") ? "[\(reachable)]" : reachable
        return "http://\(bracketed):\(server.port)/"
    }

    /// Recovers the store's write sessions (resumes open ones, completes interrupted
    /// finalizes and aborts, removes orphaned staging), then binds and starts serving;
    /// expires idle write sessions in the background.
    public func start() async throws {
        let report = try await api.sessions.recover(encodeSummary: SluiceAPI.summaryText)
        if report != WriteSessionManager.RecoveryReport() {
            logger.info("write sessions recovered", metadata: [
                "resumed": "\(report.resumed)", "finalized": "\(report.finalized)", "aborted": "\(report.aborted)",
                "failed": "\(report.failed)",
            ])
        }
        try server.start()
        await api.sessions.startSweeping()
        logger.info("sluice listening", metadata: ["url": "\(url)", "port": "\(server.port)", "connectors": "\(api.catalog.entries.count)"])
    }

    /// Stops accepting, lets in-flight requests finish within `gracePeriod`, then closes.
    public func shutdown(gracePeriod: Duration = .seconds(10)) async {
        await api.sessions.stopSweeping()
        await server.shutdown(gracePeriod: gracePeriod)
    }

    /// Serves until SIGTERM or SIGINT, then shuts down gracefully.
    public func runUntilTerminated(gracePeriod: Duration = .seconds(10)) async {
        await server.runUntilTerminated(gracePeriod: gracePeriod)
        await api.sessions.stopSweeping()
    }
}

import Foundation
import HTTPServer
import Logging
import SluiceCore

/// The REST API v1 over a catalog: registers every route on a `Router`. The routes live in
/// `Routes/` by area (meta, connectors, sources, sinks); this type holds what they share.
public final class SluiceAPI: Sendable {
    public let catalog: Catalog
    public let sessions: WriteSessionManager
    public let limits: APILimits
    let metrics: SluiceMetrics
    let logger: Logger
    let started = Date()
    /// Connector documents, encoded once: the catalog does not change while serving.
    let connectorDocuments: [String: [UInt8]]
    let connectorListDocument: [UInt8]
    let page: PageRenderer?
    /// The spec served at `/openapi.yaml`: a file, or nil for the copy built into the binary.
    let openAPIFile: String?
    /// The listing as each token sees it (only the connectors it may use), by token name.
    let connectorListByToken: [String: [UInt8]]
    /// The HTTP server's counters, for `/metrics`.
    let serverStatistics = ServerStatisticsProbe()
    /// The access-control middleware (tokens, scopes, per-token limits).
    let accessControl: AccessControl
    let cors: CORSPolicy
    let routeMethods = RouteMethodTable()
    /// The server-wide read-ahead budget of row streams.
    let encodeSlots: EncodeSlots

    public init(catalog: Catalog, sessions: WriteSessionManager, limits: APILimits = APILimits(),
                page: PageFiles = .embedded, openAPIFile: String? = nil, auth: AuthSettings = AuthSettings(),
                cors: CORSPolicy = CORSPolicy(), logger: Logger) {
        self.catalog = catalog
        self.sessions = sessions
        self.limits = limits
        encodeSlots = EncodeSlots(capacity: limits.encodeSlots)
        self.logger = logger
        metrics = SluiceMetrics()
        accessControl = AccessControl(settings: auth)
        self.cors = cors
        connectorDocuments = Dictionary(uniqueKeysWithValues: catalog.entries.map {
            ($0.name, Documents.connector($0).response().body)
        })
        connectorListDocument = Documents.connectors(catalog).response().body
        connectorListByToken = Dictionary(uniqueKeysWithValues: auth.tokens.map { token in
            (token.name, Documents.connectors(Catalog(catalog.entries.filter { token.allows($0.kind, $0.name) })).response().body)
        })
        if case .none = page {
            self.page = nil
        } else {
            self.page = PageRenderer(files: page, catalog: catalog, requiresToken: auth.isEnabled)
        }
        self.openAPIFile = openAPIFile
    }

    /// Adds every route of the API to `router`.
    public func register(on router: Router) {
        registerMetaRoutes(on: router)
        registerConnectorRoutes(on: router)
        registerSourceRoutes(on: router)
        registerSinkRoutes(on: router)
        registerPageRoutes(on: router)
        registerPreflights(on: router)
    }

    /// The catalog entry behind `{name}`, which must be of `kind`.
    func entry(_ request: HTTPRequest, kind: Connector.Kind) throws -> Catalog.Entry {
        let name = request.parameter("name") ?? ""
        guard let entry = catalog[name] else {
            throw APIError.notFound("no connector named '\(name)' (GET /v1/connectors lists them)",
                                    extra: [("connector", .string(name))])
        }
        guard entry.kind == kind else {
            throw APIError.notFound("'\(name)' is a \(entry.kind.rawValue), not a \(kind.rawValue)",
                                    extra: [("connector", .string(name))])
        }
        return entry
    }
}

/// Limits the API applies on top of the HTTP engine's.
public struct APILimits: Sendable {
    /// Largest upload body (after decompression) for batches and one-shot writes.
    public var maxUploadBytes = 4 << 30
    /// What sets `maxUploadBytes`, named in the 413 past it.
    public var maxUploadSetting = "the server's --max-upload-mib"

    /// The upload routes' body limit.
    var uploadLimit: BodyLimit { BodyLimit(maxUploadBytes, setting: maxUploadSetting) }
    /// Longest NDJSON line / CSV record in an upload.
    public var maxLineLength = 1 << 20
    /// Rows per decoded batch.
    public var batchRows = 65_536
    /// Row pieces encoded ahead of their clients over all streams, beyond each stream's own
    /// small piece (`EncodeSlots`): one fast stream uses them all, slow ones cannot pile up.
    public var encodeSlots = ProcessInfo.processInfo.activeProcessorCount + 1

    public init() {}
}

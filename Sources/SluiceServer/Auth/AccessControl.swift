import HTTPServer
import SluiceCore

/// What a route needs from the token of a request.
enum RouteAccess: Sendable {
    /// Anyone: `/healthz`, `/openapi.yaml`, the page.
    case open
    /// `admin`, unless the config makes `/metrics` public.
    case metrics
    /// Any valid token (the listing, which shows what the token may use).
    case anyToken
    /// The connector named by the path's `{name}`, of this kind: `read:` for sources, `write:` for sinks.
    case connector(Connector.Kind)
    /// One connector known when the route is made.
    case namedConnector(Connector.Kind, String)
}

/// The access-control middleware of the API: every route says what it needs (`RouteAccess`),
/// and `principal(for:_:)` answers who the request acts for or the problem to answer instead:
/// 401 with `WWW-Authenticate: Bearer` for a missing, malformed or unknown token, 403 for a
/// valid token without the scope. With no tokens configured, every request acts for
/// `Principal.unauthenticated` and nothing is checked.
///
/// Tokens never reach logs, metrics or errors: problems name the token's `name` at most.
final class AccessControl: Sendable {
    let settings: AuthSettings
    let verifier: TokenVerifier
    let limiter = TokenLimiter()

    init(settings: AuthSettings) {
        self.settings = settings
        verifier = TokenVerifier(tokens: settings.tokens)
    }

    var isEnabled: Bool { settings.isEnabled }

    func principal(for request: HTTPRequest, _ access: RouteAccess) throws -> Principal {
        guard isEnabled else { return .unauthenticated }
        if case .open = access { return .unauthenticated }
        if case .metrics = access, settings.publicMetrics { return .unauthenticated }
        let token: AccessToken
        switch verifier.verify(authorization: request.headers["Authorization"]) {
        case .missing:
            throw Self.unauthorized("this server needs an access token: send Authorization: Bearer <token>", error: nil)
        case .malformed:
            throw Self.unauthorized("the Authorization header must be 'Bearer <token>'", error: "invalid_request")
        case .unknown:
            throw Self.unauthorized("the access token is not known to this server", error: "invalid_token")
        case let .valid(found):
            token = found
        }
        let principal = Principal(token: token)
        switch access {
        case .open, .anyToken:
            return principal
        case .metrics:
            guard token.isAdmin else { throw Self.forbidden(token, needs: "admin", what: "/metrics") }
        case let .connector(kind):
            try Self.check(principal, kind, request.parameter("name") ?? "")
        case let .namedConnector(kind, name):
            try Self.check(principal, kind, name)
        }
        return principal
    }

    /// The access log's `client`: the token's name, `unknown-token`, or nothing without one.
    func clientName(_ headers: HTTPHeaders) -> String? {
        switch verifier.verify(authorization: headers["Authorization"]) {
        case .missing: return nil
        case .malformed, .unknown: return "unknown-token"
        case let .valid(token): return token.name
        }
    }

    /// Runs `body` holding one unit of `resource` of the principal's token (429 past its limit).
    func holding<T>(_ resource: TokenLimiter.Resource?, for principal: Principal, _ body: () async throws -> T) async throws -> T {
        guard let resource, let token = principal.token else { return try await body() }
        guard limiter.acquire(resource, for: token) else {
            let limit = resource == .streams ? token.limits.streams : token.limits.uploads
            throw Self.tooManyRequests("token '\(token.name)' already has \(limit) concurrent \(resource == .streams ? "row streams" : "uploads") "
                                       + "(its limit); retry when one has finished")
        }
        defer { limiter.release(resource, for: token) }
        return try await body()
    }

    private static func check(_ principal: Principal, _ kind: Connector.Kind, _ name: String) throws {
        guard let token = principal.token, !principal.allows(kind, name) else { return }
        throw forbidden(token, needs: (kind == .source ? "read:" : "write:") + name, what: "\(kind.rawValue) '\(name)'")
    }

    static func unauthorized(_ detail: String, error: String?) -> APIError {
        var problem = APIError(401, "unauthorized", "Unauthorized", detail)
        problem.headers = [("WWW-Authenticate", "Bearer realm=\"sluice\"" + (error.map { ", error=\"\($0)\"" } ?? ""))]
        return problem
    }

    static func forbidden(_ token: AccessToken, needs scope: String, what: String) -> APIError {
        var problem = APIError(403, "forbidden", "Forbidden", "token '\(token.name)' has no scope for \(what) (needs \(scope))",
                               extra: [("token", .string(token.name)), ("required_scope", .string(scope))])
        problem.headers = [("WWW-Authenticate", "Bearer realm=\"sluice\", error=\"insufficient_scope\", scope=\"\(scope)\"")]
        return problem
    }

    static func tooManyRequests(_ detail: String, extra: [(String, JSONValue)] = []) -> APIError {
        var problem = APIError(429, "too-many-requests", "Too Many Requests", detail, extra: extra)
        problem.headers = [("Retry-After", "1")]
        return problem
    }
}

import HTTPServer

/// Cross-origin access for browsers on other origins: the `cors:` section of the config,
/// `allowed_origins: ["https://app.example.com"]` (`"*"` allows any). None by default.
///
/// Every response to a request whose `Origin` is allowed names that origin
/// (`Access-Control-Allow-Origin`, `Vary: Origin`) and exposes the headers clients read; a
/// preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered 204 with the
/// methods and request headers the API takes.
public struct CORSPolicy: Sendable {
    public let allowedOrigins: [String]

    public init(allowedOrigins: [String] = []) { self.allowedOrigins = allowedOrigins }

    public var isEnabled: Bool { !allowedOrigins.isEmpty }

    static let exposedHeaders = "Location, Retry-After, Idempotent-Replayed, WWW-Authenticate, Sluice-Row-Count, Trailer"
    static let allowedHeaders = "Authorization, Content-Type, Content-Encoding, Accept, Accept-Encoding, Idempotency-Key"

    func allows(_ origin: String) -> Bool { allowedOrigins.contains("*") || allowedOrigins.contains(origin) }

    /// The fields to add to the response to a request with these headers.
    func responseFields(for request: HTTPHeaders) -> [(String, String)] {
        guard let origin = request["Origin"], allows(origin) else { return [] }
        return [("Access-Control-Allow-Origin", origin), ("Vary", "Origin"), ("Access-Control-Expose-Headers", Self.exposedHeaders)]
    }

    /// The answer to a preflight for a path that takes `methods`; nil when it is no preflight.
    func preflight(_ request: HTTPRequest, methods: [String]) -> HTTPResponse? {
        guard request.headers["Access-Control-Request-Method"] != nil, let origin = request.headers["Origin"] else { return nil }
        var headers: HTTPHeaders = ["Allow": methods.joined(separator: ", ")]
        if allows(origin) {
            headers["Access-Control-Allow-Methods"] = methods.joined(separator: ", ")
            headers["Access-Control-Allow-Headers"] = Self.allowedHeaders
            headers["Access-Control-Max-Age"] = "600"
        }
        return HTTPResponse(status: .noContent, headers: headers, body: [])
    }
}

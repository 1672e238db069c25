import SluiceCore

/// An error the API answers as `application/problem+json` (RFC 9457): a status, a slug that
/// makes the `type` URI, a title, a detail saying what and where, and extra members
/// (`position`, `parameter`, `errors`, ...).
public struct APIError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var slug: String
    public var title: String
    public var detail: String
    /// Extra members, already JSON-encoded (`"position": 12`).
    public var extra: [(String, JSONValue)]
    /// Header fields to send with the problem (`Retry-After`, `WWW-Authenticate`).
    public var headers: [(String, String)] = []

    public init(_ status: Int, _ slug: String, _ title: String, _ detail: String, extra: [(String, JSONValue)] = []) {
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.extra = extra
    }

    public var description: String { "\(status) \(title): \(detail)" }

    /// Problem types are `urn:sluice:problem:<slug>` (the HTTP engine's own errors too).
    public static let typePrefix = "urn:sluice:problem:"

    /// The problem document.
    public var body: [UInt8] {
        var members: [(String, JSONValue)] = [
            ("type", .string(Self.typePrefix + slug)),
            ("title", .string(title)),
            ("status", .int(Int64(status))),
            ("detail", .string(detail)),
        ]
        members += extra
        var out: [UInt8] = []
        JSONValue.object(members).write(into: &out)
        out.append(UInt8(ascii: "\n"))
        return out
    }

    static func notFound(_ detail: String, extra: [(String, JSONValue)] = []) -> APIError {
        APIError(404, "not-found", "Not Found", detail, extra: extra)
    }

    static func badParameter(_ name: String, _ detail: String, extra: [(String, JSONValue)] = []) -> APIError {
        APIError(400, "invalid-parameter", "Invalid Parameter", detail, extra: [("parameter", .string(name))] + extra)
    }

    static func idempotencyKeyInUse(_ key: String) -> APIError {
        var error = APIError(409, "idempotency-key-in-use", "Idempotency Key In Use",
                             "a request with Idempotency-Key '\(key)' is still being processed; retry after it has been answered",
                             extra: [("idempotency_key", .string(key))])
        error.headers = [("Retry-After", "1")]
        return error
    }

    static func idempotencyKeyReused(_ key: String) -> APIError {
        APIError(422, "idempotency-key-reused", "Idempotency Key Reused",
                 "Idempotency-Key '\(key)' was already used for a request with a different body; use a new key for a new request",
                 extra: [("idempotency_key", .string(key))])
    }

    static func unsupportedMediaType(_ detail: String) -> APIError {
        APIError(415, "unsupported-media-type", "Unsupported Media Type", detail)
    }

    /// 422 with the located issues of an upload (the first 100).
    static func invalidBody(_ error: DecodeError) -> APIError {
        let issues = error.issues.prefix(100).map { issue -> JSONValue in
            var m: [(String, JSONValue)] = [("line", .int(Int64(issue.line))), ("column", .int(Int64(issue.column)))]
            if let field = issue.field { m.append(("field", .string(field))) }
            m.append(("message", .string(issue.message)))
            return .object(m)
        }
        let first = error.issues.first.map { ": \($0)" } ?? ""
        return APIError(422, "invalid-body", "Invalid Body",
                        "\(error.issues.count)\(error.truncated ? "+" : "") row error(s), nothing was written\(first)",
                        extra: [("errors", .array(Array(issues)))])
    }
}

import HTTPServer
import SluiceCore

extension APIError {
    /// The problem+json response for this error.
    var response: HTTPResponse {
        var headers: HTTPHeaders = ["Content-Type": "application/problem+json"]
        for (name, value) in self.headers { headers.add(name, value) }
        return HTTPResponse(status: HTTPStatus(status), headers: headers, body: body)
    }
}

extension JSONValue {
    /// A JSON response of this document (compressible for clients that accept gzip).
    func response(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders()) -> HTTPResponse {
        var out = bytes
        out.append(UInt8(ascii: "\n"))
        var h = headers
        h["Content-Type"] = "application/json"
        return HTTPResponse(status: status, headers: h, body: out, compressible: true)
    }
}

/// The response writer as the row streamer's byte sink.
struct ResponseByteWriter: ByteStreamWriter {
    let writer: HTTPResponseWriter
    func write(_ bytes: [UInt8]) async throws { try await writer.write(bytes) }
}

/// Maps what handlers throw to API errors: typed errors from the core and the session
/// manager get their statuses; anything else is a 500 that says which connector failed.
enum ErrorMapping {
    /// `kind` is the kind of connector the route serves: a failing connector is a
    /// `source-failed` or a `sink-failed` problem.
    static func apiError(_ error: any Error, connector: String? = nil, kind: Connector.Kind? = nil) -> APIError {
        let extra: [(String, JSONValue)] = connector.map { [("connector", .string($0))] } ?? []
        switch error {
        case let e as APIError: return e
        case let e as HTTPError:
            return APIError(e.status.code, e.status.slug, e.title, e.detail, extra: extra)
        case let e as DecodeError: return APIError.invalidBody(e)
        case let e as WriteSessionError:
            let extra = extra + (e.session.map { [("session", JSONValue.string($0))] } ?? [])
            switch e {
            case .notFound: return APIError.notFound(e.description, extra: extra)
            case .closed: return APIError(409, "session-closed", "Session Closed", e.description, extra: extra)
            case .uploadsInProgress: return APIError(409, "session-busy", "Session Busy", e.description, extra: extra)
            case .tooManySessions: return APIError(503, "too-many-sessions", "Too Many Sessions", e.description, extra: extra)
            case .tooManySessionsForOwner: return AccessControl.tooManyRequests(e.description, extra: extra)
            }
        case let e as SchemaError:
            // The data does not fit (a column the table lacks, a type, a constraint): the
            // client's mistake, located by field where the connector knows it.
            let located: [(String, JSONValue)] = e.column.map { column in
                [("errors", .array([.object([("field", .string(column)), ("message", .string(e.message))])]))]
            } ?? []
            return APIError(422, "invalid-body", "Invalid Body", e.message + (kind == .sink ? ", nothing was written" : ""), extra: extra + located)
        case let e as ConnectorError:
            switch kind {
            case .source?: return APIError(500, "source-failed", "Source Failed", e.description, extra: extra)
            case .sink?: return APIError(500, "sink-failed", "Sink Failed", e.description, extra: extra)
            case nil: return APIError(500, "internal", "Internal Server Error", e.description, extra: extra)
            }
        default:
            return APIError(500, "internal", "Internal Server Error", "\(error)", extra: extra)
        }
    }
}

extension WriteSessionError {
    /// The session the error is about (the problem's `session` member).
    var session: String? {
        switch self {
        case let .notFound(id, _), let .closed(id, _), let .uploadsInProgress(id, _): return id
        case .tooManySessions, .tooManySessionsForOwner: return nil
        }
    }
}

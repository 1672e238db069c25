import Foundation
import HTTPServer
import SluiceCore

/// The `Idempotency-Key` request header (IETF httpapi draft): 1 to 255 visible ASCII
/// characters, bare or as a structured-field string (`"abc"`).
enum IdempotencyKeyHeader {
    static let name = "Idempotency-Key"

    static func key(in request: HTTPRequest) throws -> String? {
        guard var value = request.headers[name]?.trimmingCharacters(in: .whitespaces) else { return nil }
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
        guard (1...255).contains(value.utf8.count), value.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw APIError(400, "invalid-idempotency-key", "Invalid Idempotency Key",
                           "Idempotency-Key must be 1 to 255 visible ASCII characters", extra: [("header", .string(name))])
        }
        return value
    }
}

/// One request running under an `Idempotency-Key`: what the handler needs to build the
/// answer the store keeps with its effect.
struct IdempotentExchange: Sendable {
    let scope: IdempotencyScope
    let key: String
    let body: UploadBody

    /// The answer to store: a JSON document, as `JSONValue.response` sends it.
    func answer(_ document: JSONValue, status: Int = 200, location: String? = nil, session: String?) -> IdempotencyRecord {
        IdempotencyRecord(scope: scope, key: key, digest: body.digest, status: status, contentType: "application/json",
                          location: location, body: document.bytes + [UInt8(ascii: "\n")], session: session)
    }
}

extension IdempotencyRecord {
    /// The stored answer, marked as a replay.
    var replayResponse: HTTPResponse {
        var headers: HTTPHeaders = ["Content-Type": contentType, "Idempotent-Replayed": "true"]
        if let location { headers["Location"] = location }
        return HTTPResponse(status: HTTPStatus(status), headers: headers, body: body, compressible: true)
    }
}

extension SluiceAPI {
    /// Runs `handle` at most once per `Idempotency-Key` in `scope`. Without the header it just
    /// runs. A new key is claimed, and `handle` stores its answer with its effect (one commit,
    /// through the session manager). A key answered before is replayed, byte for byte with
    /// `Idempotent-Replayed: true`, when this body's digest matches (else 422); a key still in
    /// flight is 409 with `Retry-After`. When `handle` fails, a validation answer (422, with
    /// the whole body read) is stored to be replayed; any other failure frees the key, so a
    /// retry runs again (a 5xx is never replayed).
    func idempotent(_ request: HTTPRequest, _ writer: HTTPResponseWriter, scope: IdempotencyScope,
                    _ handle: (UploadBody, IdempotentExchange?) async throws -> Int) async throws -> Int {
        let body = UploadBody(request.body)
        guard let key = try IdempotencyKeyHeader.key(in: request) else { return try await handle(body, nil) }
        switch try await sessions.store.claim(scope, key: key, at: Date()) {
        case .inFlight:
            throw APIError.idempotencyKeyInUse(key)
        case let .completed(answer):
            try await body.drain()
            guard body.digest == answer.digest else { throw APIError.idempotencyKeyReused(key) }
            try await writer.send(answer.replayResponse)
            return answer.status
        case .claimed:
            do {
                return try await handle(body, IdempotentExchange(scope: scope, key: key, body: body))
            } catch {
                let problem = ErrorMapping.apiError(error, connector: request.parameter("name"), kind: .sink)
                if problem.status == 422, body.isComplete {
                    try? await sessions.store.complete(IdempotencyRecord(
                        scope: scope, key: key, digest: body.digest, status: 422, contentType: "application/problem+json",
                        body: problem.body, session: nil))
                } else {
                    try? await sessions.store.release(scope, key: key)
                }
                throw error
            }
        }
    }
}

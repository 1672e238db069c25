import Foundation

/// `Idempotency-Key` support (the IETF httpapi draft): a key names one attempt at a request
/// within a scope, so that a retry is recognised and answered from the store.
///
/// Scopes: the batches of one session (`session:<id>`), opening sessions of one sink
/// (`open:<sink>`), and one-shot writes into one sink (`write:<sink>`); with access control,
/// the token's name is part of the scope, so two clients' keys never meet.
public struct IdempotencyScope: Sendable, Hashable, Codable, CustomStringConvertible {
    public var text: String

    public init(_ text: String) { self.text = text }

    public static func batches(session: String) -> IdempotencyScope { .init("session:" + session) }
    public static func open(sink: String, owner: String?) -> IdempotencyScope { .init("open:" + sink + (owner.map { "@" + $0 } ?? "")) }
    public static func oneShot(sink: String, owner: String?) -> IdempotencyScope { .init("write:" + sink + (owner.map { "@" + $0 } ?? "")) }

    public var description: String { text }
}

/// The answer stored for a key: replayed, byte for byte, to a repeat with the same body.
/// Only 2xx answers and the 4xx of validation (422) are stored; a 5xx never is, so a retry
/// after a server failure runs again.
public struct IdempotencyRecord: Sendable, Codable, Hashable {
    public var scope: IdempotencyScope
    public var key: String
    /// SHA-256 (hex) of the request body after content decoding.
    public var digest: String
    public var status: Int
    public var contentType: String
    /// The `Location` header of a 201.
    public var location: String?
    public var body: [UInt8]
    /// The session the request opened or wrote to.
    public var session: String?
    public var createdAt: Date

    public init(scope: IdempotencyScope, key: String, digest: String, status: Int, contentType: String,
                location: String? = nil, body: [UInt8], session: String?, createdAt: Date = Date()) {
        self.scope = scope
        self.key = key
        self.digest = digest
        self.status = status
        self.contentType = contentType
        self.location = location
        self.body = body
        self.session = session
        self.createdAt = createdAt
    }
}

/// What claiming a key found.
public enum IdempotencyClaim: Sendable, Equatable {
    /// The key was free and is now held by this request until it completes or is released.
    case claimed
    /// Another request with this key is still running.
    case inFlight
    /// A request with this key already completed: compare digests, then replay.
    case completed(IdempotencyRecord)
}

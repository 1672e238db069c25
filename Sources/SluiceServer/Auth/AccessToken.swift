import Crypto
import SluiceCore

/// A bearer token the server accepts, as the configuration declares it: a name (for logs
/// and session ownership), the SHA-256 of the token (the token itself is never stored), its
/// scopes and its limits.
public struct AccessToken: Sendable, Hashable {
    public var name: String
    /// SHA-256 of the token's text.
    public var digest: [UInt8]
    public var scopes: [AccessScope]
    public var limits: TokenLimits

    public init(name: String, digest: [UInt8], scopes: [AccessScope], limits: TokenLimits = TokenLimits()) {
        self.name = name
        self.digest = digest
        self.scopes = scopes
        self.limits = limits
    }

    public var isAdmin: Bool { scopes.contains(.admin) }

    /// Whether the token may use connector `name` of `kind`.
    public func allows(_ kind: Connector.Kind, _ name: String) -> Bool {
        scopes.contains { $0.allows(kind, name) }
    }

    /// A new token: `sluice_` and 64 hex digits (256 random bits from the system's CSPRNG).
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return "sluice_" + Hex.string(bytes)
    }

    /// SHA-256 of a token's text.
    public static func digest(of token: some StringProtocol) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }
}

/// How much of the server one token may hold at once; past a limit the answer is 429.
public struct TokenLimits: Sendable, Hashable {
    /// Concurrent row streams (`.../rows`).
    public var streams: Int
    /// Concurrent uploads (batches and one-shot writes).
    public var uploads: Int
    /// Open write sessions.
    public var sessions: Int

    public init(streams: Int = 16, uploads: Int = 8, sessions: Int = 64) {
        self.streams = streams
        self.uploads = uploads
        self.sessions = sessions
    }
}

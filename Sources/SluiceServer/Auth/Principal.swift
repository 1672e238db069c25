import SluiceCore

/// Who a request acts for: a verified access token, or nobody in particular when the server
/// does not check tokens (then everything is allowed).
public struct Principal: Sendable {
    public let token: AccessToken?

    public static let unauthenticated = Principal(token: nil)

    /// The name a write session records as its owner.
    public var owner: String? { token?.name }

    /// Whether this principal sees every session (no token checks, or `admin`), not only its own.
    public var seesEverySession: Bool { token?.isAdmin ?? true }

    public func allows(_ kind: Connector.Kind, _ name: String) -> Bool { token?.allows(kind, name) ?? true }

    /// Whether a session owned by `owner` is visible to this principal.
    public func owns(sessionOf owner: String?) -> Bool { seesEverySession || owner == self.owner }
}

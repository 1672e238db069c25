import Foundation

/// Counts what each token holds right now (row streams, uploads) against its limits, so one
/// client's load cannot take the server from the others: past a limit the request is
/// answered 429 with `Retry-After` before any work starts. Open sessions are counted by the
/// session manager (they outlive requests).
final class TokenLimiter: @unchecked Sendable {
    // `@unchecked Sendable` guard: `held` is read and written only under `lock`.
    enum Resource: String, Sendable {
        case streams, uploads
    }

    private let lock = NSLock()
    private var held: [String: Int] = [:]

    /// Takes one unit of `resource` for `token`, or says it is at its limit.
    func acquire(_ resource: Resource, for token: AccessToken) -> Bool {
        let key = resource.rawValue + ":" + token.name
        let limit = resource == .streams ? token.limits.streams : token.limits.uploads
        lock.lock()
        defer { lock.unlock() }
        guard held[key, default: 0] < limit else { return false }
        held[key, default: 0] += 1
        return true
    }

    func release(_ resource: Resource, for token: AccessToken) {
        let key = resource.rawValue + ":" + token.name
        lock.lock()
        defer { lock.unlock() }
        held[key, default: 1] -= 1
        if held[key] == 0 { held[key] = nil }
    }

    /// What `token` holds now (tests, metrics).
    func holding(_ resource: Resource, for token: AccessToken) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return held[resource.rawValue + ":" + token.name] ?? 0
    }
}

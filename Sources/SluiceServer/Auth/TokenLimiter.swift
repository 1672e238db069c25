import SluiceLocks

/// Counts what each token holds right now (row streams, uploads) against its limits, so one
/// client's load cannot take the server from the others: past a limit the request is
/// answered 429 with `Retry-After` before any work starts. Open sessions are counted by the
/// session manager (they outlive requests).
final class TokenLimiter: Sendable {
    enum Resource: String, Sendable {
        case streams, uploads
    }

    private let held = Locked<[String: Int]>([:])

    /// Takes one unit of `resource` for `token`, or says it is at its limit.
    func acquire(_ resource: Resource, for token: AccessToken) -> Bool {
        let key = resource.rawValue + ":" + token.name
        let limit = resource == .streams ? token.limits.streams : token.limits.uploads
        return held.withLock { held in
            guard held[key, default: 0] < limit else { return false }
            held[key, default: 0] += 1
            return true
        }
    }

    func release(_ resource: Resource, for token: AccessToken) {
        let key = resource.rawValue + ":" + token.name
        held.withLock { held in
            held[key, default: 1] -= 1
            if held[key] == 0 { held[key] = nil }
        }
    }

    /// What `token` holds now (tests, metrics).
    func holding(_ resource: Resource, for token: AccessToken) -> Int {
        held.withLock { $0[resource.rawValue + ":" + token.name] ?? 0 }
    }
}

/// Why a write-session call was refused; the API turns each into its status.
public enum WriteSessionError: Error, Equatable, CustomStringConvertible {
    /// No such session for that sink (404).
    case notFound(id: String, sink: String)
    /// The session is finalized, aborted or failed (409).
    case closed(id: String, state: WriteSessionRecord.State)
    /// Finalize while uploads are still running (409).
    case uploadsInProgress(id: String, count: Int)
    /// Too many open sessions (503).
    case tooManySessions(limit: Int)
    /// The token already has its limit of open sessions (429).
    case tooManySessionsForOwner(owner: String, limit: Int)

    public var description: String {
        switch self {
        case let .notFound(id, sink): return "no write session '\(id)' for sink '\(sink)'"
        case let .closed(id, state): return "write session '\(id)' is \(state.rawValue)"
        case let .uploadsInProgress(id, count): return "write session '\(id)' still has \(count) upload(s) in progress"
        case let .tooManySessions(limit): return "too many open write sessions (limit \(limit))"
        case let .tooManySessionsForOwner(owner, limit):
            return "token '\(owner)' already has \(limit) open write sessions (its limit); finalize or abort one first"
        }
    }
}

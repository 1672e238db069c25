import Foundation

/// Where write sessions live: everything needed to rebuild a session on any process (its
/// header, every acknowledged upload with its results, the idempotency answers). The manager
/// keeps only caches (sink instances, uploads in flight) beside it.
///
/// Contract: when a call returns, what it wrote is durable (for a durable store), and each
/// call commits atomically: an upload's record and its idempotency answer together or not
/// at all. `SQLiteWriteSessionStore` is the embedded durable store; `InMemoryWriteSessionStore`
/// keeps everything in memory (`--state memory`).
public protocol WriteSessionStore: Sendable {
    /// Creates or updates a session's header (all but its batches, which are only appended);
    /// with `completing`, stores that idempotency answer in the same commit.
    func save(_ record: WriteSessionRecord, completing answer: IdempotencyRecord?) async throws
    /// Appends an acknowledged upload, sets the session's `updatedAt` to its time, and stores
    /// its idempotency answer, in one commit.
    func append(_ batch: WriteBatchRecord, to session: String, completing answer: IdempotencyRecord?) async throws
    func load(_ id: String) async throws -> WriteSessionRecord?
    /// Removes a session with its batches and the answers of its batch scope.
    func delete(_ id: String) async throws
    func all() async throws -> [WriteSessionRecord]

    /// Claims `key` in `scope` for one request, or says who has it. A claim lasts until the
    /// key is answered or released; a store that belongs to one process may keep claims in
    /// memory (they die with the process), a shared store must keep them where every node sees
    /// them, with a lease.
    func claim(_ scope: IdempotencyScope, key: String, at: Date) async throws -> IdempotencyClaim
    /// What the store holds for `key` without claiming it: nil when it is free.
    func lookup(_ scope: IdempotencyScope, key: String) async throws -> IdempotencyClaim?
    /// Stores an answer for a claimed key (a validation failure, for instance).
    func complete(_ answer: IdempotencyRecord) async throws
    /// Frees a claimed key without an answer (the request failed in a way a retry may fix).
    func release(_ scope: IdempotencyScope, key: String) async throws
    /// Frees every claim: at start, the requests that held them died with the last process.
    func releaseAllClaims() async throws
    /// Forgets the answers of the `open:` and `write:` scopes stored before `date` (batch
    /// answers go with their session).
    func removeAnswers(before date: Date) async throws
}

extension WriteSessionStore {
    public func save(_ record: WriteSessionRecord) async throws { try await save(record, completing: nil) }
}

/// Records in memory, lost on restart.
public actor InMemoryWriteSessionStore: WriteSessionStore {
    private enum Slot { case claimed, answered(IdempotencyRecord) }

    private var records: [String: WriteSessionRecord] = [:]
    private var answers: [IdempotencyScope: [String: Slot]] = [:]

    public init() {}

    public func save(_ record: WriteSessionRecord, completing answer: IdempotencyRecord?) {
        var record = record
        record.batches = records[record.id]?.batches ?? []
        records[record.id] = record
        if let answer { answers[answer.scope, default: [:]][answer.key] = .answered(answer) }
    }

    public func append(_ batch: WriteBatchRecord, to session: String, completing answer: IdempotencyRecord?) {
        records[session]?.batches.append(batch)
        records[session]?.updatedAt = batch.at
        if let answer { answers[answer.scope, default: [:]][answer.key] = .answered(answer) }
    }

    public func load(_ id: String) -> WriteSessionRecord? { records[id] }

    public func delete(_ id: String) {
        records[id] = nil
        answers[.batches(session: id)] = nil
    }

    public func all() -> [WriteSessionRecord] { Array(records.values) }

    public func claim(_ scope: IdempotencyScope, key: String, at: Date) -> IdempotencyClaim {
        switch answers[scope]?[key] {
        case .claimed?: return .inFlight
        case let .answered(answer)?: return .completed(answer)
        case nil:
            answers[scope, default: [:]][key] = .claimed
            return .claimed
        }
    }

    public func lookup(_ scope: IdempotencyScope, key: String) -> IdempotencyClaim? {
        switch answers[scope]?[key] {
        case .claimed?: return .inFlight
        case let .answered(answer)?: return .completed(answer)
        case nil: return nil
        }
    }

    public func complete(_ answer: IdempotencyRecord) { answers[answer.scope, default: [:]][answer.key] = .answered(answer) }

    public func release(_ scope: IdempotencyScope, key: String) {
        if case .claimed? = answers[scope]?[key] { answers[scope]?[key] = nil }
    }

    public func releaseAllClaims() {
        for (scope, keys) in answers {
            for (key, slot) in keys { if case .claimed = slot { answers[scope]?[key] = nil } }
        }
    }

    public func removeAnswers(before date: Date) {
        for (scope, keys) in answers where !scope.text.hasPrefix("session:") {
            for (key, slot) in keys {
                if case let .answered(answer) = slot, answer.createdAt < date { answers[scope]?[key] = nil }
            }
        }
    }
}

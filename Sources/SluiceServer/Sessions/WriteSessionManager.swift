import Foundation
import Logging
import SluiceCore

/// Runs write sessions over a `WriteSessionStore`: one sink per session (`start` on open,
/// `resume` when a restart or a cold cache meets an open session), uploads (`write`,
/// concurrently allowed, each acknowledged only once its record is committed), an idempotent
/// `finalize`, `abort`, expiry after an idle TTL, and recovery at start.
///
/// Everything that must survive is in the store; `live` is a cache of sink instances and of
/// the uploads now running, rebuilt from the store on demand. The sink calls run outside the
/// actor's exclusive sections (the actor is re-entrant at each `await`), so slow writes to one
/// session do not block others; state is re-checked after every await.
public actor WriteSessionManager {
    struct Live {
        let sink: AnyDataSink
        /// The authoritative record while the session is open (the store gets each change).
        var record: WriteSessionRecord
        var uploadsInFlight = 0
        var finalizing = false
    }

    public let store: any WriteSessionStore
    public let catalog: Catalog
    /// Idle time after which an open session is aborted.
    public let idleTTL: TimeInterval
    /// How long a closed session's record (and a session-less idempotency answer) is kept.
    public let retention: TimeInterval
    public let maxOpenSessions: Int
    let logger: Logger
    private var live: [String: Live] = [:]
    /// Ids of the sessions in state `open`, for the open-session limit.
    private var openIDs = Set<String>()
    private var sweeper: Task<Void, Never>?

    public init(catalog: Catalog, store: any WriteSessionStore = InMemoryWriteSessionStore(), idleTTL: TimeInterval = 3600,
                retention: TimeInterval = 86400, maxOpenSessions: Int = 1024, logger: Logger = Logger(label: "sluice.sessions")) {
        self.catalog = catalog
        self.store = store
        self.idleTTL = idleTTL
        self.retention = retention
        self.maxOpenSessions = maxOpenSessions
        self.logger = logger
    }

    /// Starts the periodic expiry of idle sessions.
    public func startSweeping(every interval: TimeInterval? = nil) {
        let period = interval ?? max(1, min(idleTTL / 4, 60))
        sweeper?.cancel()
        sweeper = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64(period * 1e9))
                await self?.expire(now: Date())
            }
        }
    }

    public func stopSweeping() {
        sweeper?.cancel()
        sweeper = nil
    }

    public var openSessionCount: Int { openIDs.count }

    // MARK: Open

    /// Opens a session: makes its sink, calls `start`, and commits the record (with the
    /// idempotency answer `answer` builds for it, in the same commit).
    /// `ownerLimit` caps the open sessions of `owner` (a token's limit).
    public func open(sink name: String, owner: String? = nil, ownerLimit: Int? = nil, oneShot: WriteSessionRecord.OneShot? = nil,
                     answer: @Sendable (WriteSessionRecord) -> IdempotencyRecord? = { _ in nil }) async throws -> WriteSessionRecord {
        guard openIDs.count < maxOpenSessions else { throw WriteSessionError.tooManySessions(limit: maxOpenSessions) }
        if let owner, let ownerLimit, live.values.filter({ $0.record.owner == owner && $0.record.state == .open }).count >= ownerLimit {
            throw WriteSessionError.tooManySessionsForOwner(owner: owner, limit: ownerLimit)
        }
        let (factory, fingerprint) = try sinkFactory(name)
        let record = WriteSessionRecord(id: WriteSessionID.random(), sink: name, sinkFingerprint: fingerprint, owner: owner,
                                        oneShot: oneShot)
        let sink = try factory.make(session: record.id)
        try await sink.start()
        openIDs.insert(record.id)
        live[record.id] = Live(sink: sink, record: record)
        do {
            try await store.save(record, completing: answer(record))
        } catch {
            openIDs.remove(record.id)
            live[record.id] = nil
            try? await sink.abort([])
            throw error
        }
        return record
    }

    /// The session's record: the live one while it is open, else the stored one.
    public func record(_ id: String, sink: String) async throws -> WriteSessionRecord {
        if let session = live[id], session.record.sink == sink { return session.record }
        guard let record = try await store.load(id), record.sink == sink else {
            throw WriteSessionError.notFound(id: id, sink: sink)
        }
        return record
    }

    // MARK: Upload

    /// Writes one upload and acknowledges it: returns once the sink has staged it and its
    /// record (with the answer `answer` builds from the results) is committed. If the sink's
    /// `write` throws (bad input part way, or a sink failure), the sink has removed what that
    /// call wrote (its contract) and nothing is recorded; the session stays open.
    public func upload(_ id: String, sink name: String, idempotencyKey: String? = nil, batches: RecordBatchStream,
                       answer: @Sendable ([ErasedWriteResult]) -> IdempotencyRecord? = { _ in nil }) async throws -> [ErasedWriteResult] {
        let session = try await liveSession(id, sink: name)
        guard !session.finalizing else { throw WriteSessionError.closed(id: id, state: .finalizing) }
        live[id]?.uploadsInFlight += 1
        defer { live[id]?.uploadsInFlight -= 1 }
        let results: [ErasedWriteResult]
        do {
            results = try await session.sink.write(batches)
        } catch where live[id] == nil {
            // Aborted or expired while this upload ran (which is why it failed, most likely).
            try? await session.sink.abort([])
            throw WriteSessionError.closed(id: id, state: try await self.record(id, sink: name).state)
        }
        guard var current = live[id]?.record else {
            // Aborted or expired while this upload ran: undo it too.
            try? await session.sink.abort(results)
            throw WriteSessionError.closed(id: id, state: try await self.record(id, sink: name).state)
        }
        let batch = current.nextBatch(results, idempotencyKey: idempotencyKey)
        current.batches.append(batch)
        current.updatedAt = batch.at
        live[id]?.record = current
        do {
            try await store.append(batch, to: id, completing: answer(results))
        } catch {
            // Not acknowledged: what the sink staged for it is left unnamed, and `finalize`,
            // `abort` and `resume` remove unnamed staging.
            live[id]?.record.batches.removeAll { $0.sequence == batch.sequence }
            throw error
        }
        return results
    }

    /// Records the body digest of a one-shot write once its upload is complete, before it is
    /// finalized (so a finalize completed at restart can store the answer under its key).
    func setOneShotDigest(_ id: String, _ digest: String) {
        live[id]?.record.oneShot?.digest = digest
    }

    // MARK: Finalize

    /// Finalizes once; later calls return the same summary. `answer` builds the idempotency
    /// answer stored with the finalized record (one-shot writes).
    public func finalize(_ id: String, sink name: String, encodeSummary: @Sendable (RecordBatch) -> String,
                         answer: @Sendable (WriteSessionRecord) -> IdempotencyRecord? = { _ in nil }) async throws -> WriteSessionRecord {
        let stored = try await record(id, sink: name)
        if stored.state == .finalized { return stored }
        guard stored.state == .open else { throw WriteSessionError.closed(id: id, state: stored.state) }
        var session = try await liveSession(id, sink: name)
        guard !session.finalizing, session.uploadsInFlight == 0 else {
            throw WriteSessionError.uploadsInProgress(id: id, count: session.uploadsInFlight)
        }
        session.finalizing = true
        session.record.state = .finalizing
        session.record.updatedAt = Date()
        live[id] = session
        do {
            try await store.save(session.record)
        } catch {
            live[id]?.finalizing = false
            live[id]?.record.state = .open
            throw error
        }
        return try await completeFinalize(session.record, sink: session.sink, encodeSummary: encodeSummary, answer: answer)
    }

    /// Runs the sink's finalize for a record in state `finalizing` and stores the outcome:
    /// `finalized` with the summary, or `open` again (with the reason) when it failed.
    func completeFinalize(_ finalizing: WriteSessionRecord, sink: AnyDataSink, encodeSummary: @Sendable (RecordBatch) -> String,
                                  answer: @Sendable (WriteSessionRecord) -> IdempotencyRecord?) async throws -> WriteSessionRecord {
        var record = finalizing
        let id = record.id
        do {
            let summary = try await sink.finalize(record.results)
            record.summaryJSON = encodeSummary(summary)
            record.state = .finalized
        } catch {
            // Acknowledged batches are a promise: a failed finalize (a database that went away,
            // a refused commit) leaves the session open, to finalize again or abort. A sink's
            // finalize must be safe to run again (DataSink), so a retry writes nothing twice.
            record.state = .open
            record.reason = "the last finalize failed: \(error); finalize again, or abort"
            record.updatedAt = Date()
            live[id] = Live(sink: sink, record: record)
            openIDs.insert(id)
            try await store.save(record)
            throw error
        }
        record.reason = nil
        record.updatedAt = Date()
        closeLive(id)
        try await store.save(record, completing: answer(record))
        return record
    }

    // MARK: Abort

    /// Aborts an open session: the sink removes everything the session staged. The record
    /// goes through `aborting`, so a crash part way is completed at the next start.
    /// With `forget`, the record is deleted once the abort is done (a failed one-shot write:
    /// nobody holds its id, and a flood of failing uploads must not pile up records).
    public func abort(_ id: String, sink name: String, reason: String = "aborted by the client",
                      forget: Bool = false) async throws -> WriteSessionRecord {
        let stored = try await record(id, sink: name)
        guard stored.state == .open || stored.state == .aborting, live[id]?.finalizing != true else {
            throw WriteSessionError.closed(id: id, state: stored.state)
        }
        let sink = try? await liveSession(id, sink: name).sink
        var record = live[id]?.record ?? stored
        record.state = .aborting
        record.reason = reason
        record.updatedAt = Date()
        closeLive(id)
        try await store.save(record)
        try await (sink ?? sinkFactory(name).factory.make(session: id)).abort(record.results)
        record.state = .aborted
        record.updatedAt = Date()
        if forget {
            try await store.delete(id)
        } else {
            try await store.save(record)
        }
        return record
    }

    // MARK: Expiry

    /// Aborts sessions idle for longer than the TTL, completes aborts a failure left
    /// half-done, and forgets closed sessions (and old answers) past retention.
    public func expire(now: Date) async {
        guard let records = try? await store.all() else { return }
        for record in records {
            let idle = now.timeIntervalSince(live[record.id]?.record.updatedAt ?? record.updatedAt)
            switch record.state {
            case .open where idle > idleTTL && live[record.id]?.uploadsInFlight ?? 0 == 0 && live[record.id]?.finalizing != true:
                _ = try? await abort(record.id, sink: record.sink, reason: "expired after \(Int(idleTTL)) s idle")
            case .aborting:
                _ = try? await abort(record.id, sink: record.sink, reason: record.reason ?? "aborted")
            case .finalized, .aborted, .failed:
                if idle > retention { try? await store.delete(record.id) }
            default:
                break
            }
        }
        try? await store.removeAnswers(before: now.addingTimeInterval(-retention))
    }

    // MARK: Live sessions

    /// The live session for an open record, resuming its sink first when it is not cached
    /// (after a restart, or on another process): `resume` with the recorded results.
    func liveSession(_ id: String, sink name: String) async throws -> Live {
        if let session = live[id], session.record.sink == name {
            guard session.record.state == .open else { throw WriteSessionError.closed(id: id, state: session.record.state) }
            return session
        }
        let record = try await record(id, sink: name)
        guard record.state == .open || record.state == .finalizing else { throw WriteSessionError.closed(id: id, state: record.state) }
        let sink = try await resumedSink(record)
        if let session = live[id] { return session }  // resumed meanwhile by another request
        let session = Live(sink: sink, record: record)
        live[id] = session
        if record.state == .open { openIDs.insert(id) }
        return session
    }

    /// A fresh sink for the record, handed its results. A sink whose configuration vanished
    /// or changed ends the session (aborted, with the reason) instead.
    func resumedSink(_ record: WriteSessionRecord) async throws -> AnyDataSink {
        let factory: SinkFactory
        do {
            let (current, fingerprint) = try sinkFactory(record.sink)
            guard fingerprint == record.sinkFingerprint else {
                try await end(record, reason: "the configuration of sink '\(record.sink)' changed while the session was open; "
                              + "the session was aborted", cleaningWith: current)
                throw WriteSessionError.closed(id: record.id, state: .aborted)
            }
            factory = current
        } catch let error as WriteSessionError {
            if case .notFound = error {
                try await end(record, reason: "sink '\(record.sink)' is no longer configured; the session was aborted", cleaningWith: nil)
                throw WriteSessionError.closed(id: record.id, state: .aborted)
            }
            throw error
        }
        guard WriteSessionID.isValid(record.id) else {
            try await end(record, reason: "the stored session id is not one this server makes; the session was aborted", cleaningWith: nil)
            throw WriteSessionError.closed(id: record.id, state: .aborted)
        }
        let sink = try factory.make(session: record.id)
        try await sink.resume(record.results)
        return sink
    }

    /// Marks an open or finalizing session aborted for `reason`, removing its staging with
    /// `factory`'s sink when there is one (best effort: the staging may belong to an older
    /// configuration).
    private func end(_ record: WriteSessionRecord, reason: String, cleaningWith factory: SinkFactory?) async throws {
        var record = record
        if let sink = try? factory?.make(session: record.id) { try? await sink.abort(record.results) }
        record.state = record.state == .finalizing ? .failed : .aborted
        record.reason = reason
        record.updatedAt = Date()
        closeLive(record.id)
        try await store.save(record)
        logger.warning("write session ended at resume", metadata: ["session": "\(record.id)", "reason": "\(reason)"])
    }

    private func closeLive(_ id: String) {
        live[id] = nil
        openIDs.remove(id)
    }

    func sinkFactory(_ name: String) throws -> (factory: SinkFactory, fingerprint: String) {
        guard let entry = catalog[name], case let .sink(factory) = entry.connector else {
            throw WriteSessionError.notFound(id: "", sink: name)
        }
        return (factory, entry.fingerprint)
    }
}

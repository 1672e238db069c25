import Foundation
import SluiceCore

/// Runs write sessions: one fresh sink per session (`start` on open), uploads (`write`,
/// concurrently allowed), an idempotent `finalize`, `abort`, and expiry after an idle TTL.
///
/// The sink calls run outside the actor's exclusive sections (the actor is re-entrant at
/// each `await`), so slow writes to one session do not block others; state is re-checked
/// after every await.
public actor WriteSessionManager {
    private struct Live {
        let sink: AnyDataSink
        /// The authoritative record while the session is open (the store gets copies).
        var record: WriteSessionRecord
        var uploadsInFlight = 0
        var finalizing = false
    }

    public let store: WriteSessionStore
    /// Idle time after which an open session is aborted.
    public let idleTTL: TimeInterval
    /// How long a closed session's record is kept (for GET and repeated finalize).
    public let retention: TimeInterval
    public let maxOpenSessions: Int
    private var live: [String: Live] = [:]
    private var sweeper: Task<Void, Never>?

    public init(store: WriteSessionStore = InMemoryWriteSessionStore(), idleTTL: TimeInterval = 3600,
                retention: TimeInterval = 86400, maxOpenSessions: Int = 1024) {
        self.store = store
        self.idleTTL = idleTTL
        self.retention = retention
        self.maxOpenSessions = maxOpenSessions
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

    public var openSessionCount: Int { live.count }

    /// Opens a session: makes a sink and calls `start`.
    public func open(sink name: String, factory: SinkFactory) async throws -> WriteSessionRecord {
        guard live.count < maxOpenSessions else { throw WriteSessionError.tooManySessions(limit: maxOpenSessions) }
        let sink = try factory.make()
        try await sink.start()
        let record = WriteSessionRecord(id: UUID().uuidString.lowercased(), sink: name)
        live[record.id] = Live(sink: sink, record: record)
        try await store.save(record)
        return record
    }

    public func record(_ id: String, sink: String) async throws -> WriteSessionRecord {
        if let session = live[id], session.record.sink == sink { return session.record }
        guard let record = try await store.load(id), record.sink == sink else {
            throw WriteSessionError.notFound(id: id, sink: sink)
        }
        return record
    }

    /// Writes one upload. If the sink's `write` throws (bad input part way, or a sink
    /// failure), the sink has removed what that call wrote (its contract) and nothing is
    /// recorded; the session stays open.
    public func upload(_ id: String, sink name: String, batches: RecordBatchStream) async throws -> [ErasedWriteResult] {
        let record = try await record(id, sink: name)
        guard record.state == .open, var session = live[id], !session.finalizing else {
            throw WriteSessionError.closed(id: id, state: record.state)
        }
        session.uploadsInFlight += 1
        live[id] = session
        defer { live[id]?.uploadsInFlight -= 1 }
        let results = try await session.sink.write(batches)
        guard var current = live[id]?.record else {
            // Aborted or expired while this upload ran: undo it too.
            try? await session.sink.abort(results)
            throw WriteSessionError.closed(id: id, state: try await self.record(id, sink: name).state)
        }
        current.add(results)
        live[id]?.record = current
        try await store.save(current)
        return results
    }

    /// Finalizes once; later calls return the same summary.
    public func finalize(_ id: String, sink name: String, encodeSummary: (RecordBatch) -> String) async throws -> WriteSessionRecord {
        var record = try await record(id, sink: name)
        if record.state == .finalized { return record }
        guard record.state == .open, var session = live[id] else { throw WriteSessionError.closed(id: id, state: record.state) }
        guard !session.finalizing else { throw WriteSessionError.uploadsInProgress(id: id, count: session.uploadsInFlight) }
        guard session.uploadsInFlight == 0 else {
            throw WriteSessionError.uploadsInProgress(id: id, count: session.uploadsInFlight)
        }
        session.finalizing = true
        live[id] = session
        do {
            let summary = try await session.sink.finalize(record.results)
            record.summaryJSON = encodeSummary(summary)
            record.state = .finalized
        } catch {
            try? await session.sink.abort(record.results)
            record.state = .failed
            record.reason = "finalize failed: \(error)"
            live[id] = nil
            record.updatedAt = Date()
            try await store.save(record)
            throw error
        }
        live[id] = nil
        record.updatedAt = Date()
        try await store.save(record)
        return record
    }

    /// Aborts an open session: the sink removes everything the session wrote.
    public func abort(_ id: String, sink name: String, reason: String = "aborted by the client") async throws -> WriteSessionRecord {
        var record = try await record(id, sink: name)
        guard record.state == .open, let session = live[id], !session.finalizing else {
            throw WriteSessionError.closed(id: id, state: record.state)
        }
        live[id] = nil
        record.state = .aborted
        record.reason = reason
        record.updatedAt = Date()
        try await store.save(record)
        try await session.sink.abort(record.results)
        return record
    }

    /// Aborts sessions idle for longer than the TTL and forgets closed ones past retention.
    public func expire(now: Date) async {
        guard let records = try? await store.all() else { return }
        for record in records {
            let idle = now.timeIntervalSince(record.updatedAt)
            if record.state == .open, idle > idleTTL, live[record.id]?.uploadsInFlight ?? 0 == 0 {
                _ = try? await abort(record.id, sink: record.sink, reason: "expired after \(Int(idleTTL)) s idle")
            } else if record.state != .open, idle > retention {
                try? await store.delete(record.id)
            }
        }
    }
}

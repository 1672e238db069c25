import Foundation
import SluiceCore

/// What is known about one write session: enough to answer `GET .../writes/{id}`, to rebuild
/// its sink on any process (`DataSink.resume`), to hand the results to `finalize`/`abort`, and
/// to repeat a finalize's summary. A `WriteSessionStore` keeps these.
public struct WriteSessionRecord: Sendable, Codable, Hashable {
    public enum State: String, Sendable, Codable, CaseIterable {
        /// Accepting batches.
        case open
        /// Finalize has begun; a restart completes it before serving.
        case finalizing
        /// Finalized; the summary is kept so that a repeated finalize returns it.
        case finalized
        /// Abort has begun; a restart (or the sweeper) completes it.
        case aborting
        /// Aborted by the client, expired after its idle TTL, or ended by a restart (see `reason`).
        case aborted
        /// Finalize failed; staged data was aborted.
        case failed

        /// Whether the session is over (nothing more will be written or removed).
        public var isClosed: Bool { self == .finalized || self == .aborted || self == .failed }
    }

    /// A one-shot write (`POST /v1/sinks/{name}`) runs as a session of its own; a restart
    /// aborts it when it was still open (its client got no answer and will retry), and
    /// completes it when it was finalizing, storing the answer under its idempotency key.
    public struct OneShot: Sendable, Codable, Hashable {
        public var idempotencyKey: String?
        /// The body digest, set when the upload is complete (before finalize starts).
        public var digest: String?

        public init(idempotencyKey: String?, digest: String? = nil) {
            self.idempotencyKey = idempotencyKey
            self.digest = digest
        }
    }

    public var id: String
    public var sink: String
    public var state: State
    public var createdAt: Date
    public var updatedAt: Date
    /// The sink's configuration fingerprint when the session opened: a restart with another
    /// configuration for the sink aborts the session rather than resuming it.
    public var sinkFingerprint: String
    /// Who opened it (an access token's name), when the server checks tokens.
    public var owner: String?
    /// Set for the session of a one-shot write.
    public var oneShot: OneShot?
    /// Every acknowledged upload, in order.
    public var batches: [WriteBatchRecord]
    /// The finalize summary as JSON (`{"schema": [...], "rows": [...]}`), once finalized.
    public var summaryJSON: String?
    /// Why the session ended, when it was not finalized.
    public var reason: String?

    public init(id: String, sink: String, sinkFingerprint: String = "", owner: String? = nil, oneShot: OneShot? = nil,
                now: Date = Date()) {
        self.id = id
        self.sink = sink
        state = .open
        createdAt = now
        updatedAt = now
        self.sinkFingerprint = sinkFingerprint
        self.owner = owner
        self.oneShot = oneShot
        batches = []
    }

    /// Every WriteResult of the acknowledged uploads, in arrival order.
    public var results: [ErasedWriteResult] { batches.flatMap(\.results) }
    public var rowsWritten: Int64 { batches.reduce(0) { $0 + $1.rowsWritten } }
    public var bytesWritten: Int64 { batches.reduce(0) { $0 + $1.bytesWritten } }

    /// The record of the next upload, numbered after the last one.
    func nextBatch(_ results: [ErasedWriteResult], idempotencyKey: String?, now: Date = Date()) -> WriteBatchRecord {
        WriteBatchRecord(sequence: (batches.last?.sequence ?? 0) + 1, idempotencyKey: idempotencyKey, results: results, at: now)
    }
}

/// One acknowledged upload of a session: what `GET` lists, and the results it contributes.
public struct WriteBatchRecord: Sendable, Codable, Hashable {
    /// 1, 2, ... in the order the uploads were acknowledged.
    public var sequence: Int
    public var idempotencyKey: String?
    public var results: [ErasedWriteResult]
    public var at: Date

    public init(sequence: Int, idempotencyKey: String?, results: [ErasedWriteResult], at: Date) {
        self.sequence = sequence
        self.idempotencyKey = idempotencyKey
        self.results = results
        self.at = at
    }

    public var rowsWritten: Int64 { results.reduce(0) { $0 + $1.rowsWritten } }
    public var bytesWritten: Int64 { results.reduce(0) { $0 + $1.bytesWritten } }
}

import Foundation
import SluiceCore

/// What is known about one write session: enough to answer `GET .../writes/{id}`, to hand
/// the results to `finalize`/`abort`, and to repeat a finalize's summary. A
/// `WriteSessionStore` keeps these.
public struct WriteSessionRecord: Sendable, Codable, Hashable {
    public enum State: String, Sendable, Codable {
        /// Accepting batches.
        case open
        /// Finalized; the summary is kept so that a repeated finalize returns it.
        case finalized
        /// Aborted by the client, or expired after its idle TTL.
        case aborted
        /// Finalize failed; staged data was aborted.
        case failed
    }

    public var id: String
    public var sink: String
    public var state: State
    public var createdAt: Date
    public var updatedAt: Date
    /// Uploads accepted so far.
    public var batches: Int
    public var rowsWritten: Int64
    public var bytesWritten: Int64
    /// Every WriteResult of the accepted uploads, in arrival order.
    public var results: [ErasedWriteResult]
    /// The finalize summary as JSON (`{"schema": [...], "rows": [...]}`), once finalized.
    public var summaryJSON: String?
    /// Why the session ended, when it was not finalized.
    public var reason: String?

    public init(id: String, sink: String, now: Date = Date()) {
        self.id = id
        self.sink = sink
        state = .open
        createdAt = now
        updatedAt = now
        batches = 0
        rowsWritten = 0
        bytesWritten = 0
        results = []
    }

    mutating func add(_ uploaded: [ErasedWriteResult], now: Date = Date()) {
        batches += 1
        results += uploaded
        rowsWritten += uploaded.reduce(0) { $0 + $1.rowsWritten }
        bytesWritten += uploaded.reduce(0) { $0 + $1.bytesWritten }
        updatedAt = now
    }
}

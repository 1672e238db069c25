import Foundation
import SluiceCore
import Logging

extension WriteSessionManager {
    /// What `recover` did at start.
    public struct RecoveryReport: Sendable, Equatable {
        public var resumed = 0
        public var finalized = 0
        public var aborted = 0
        public var failed = 0
    }

    /// Brings the store's sessions back after a restart, before the server takes requests:
    /// frees the idempotency claims of requests that died with the last process; resumes every
    /// open session (`DataSink.resume` with its results); completes finalizes and aborts that
    /// a crash cut short; aborts one-shot writes that were still uploading (their client got
    /// no answer and retries); ends sessions whose sink vanished or changed; then has every
    /// sink remove staging that no open session owns.
    public func recover(encodeSummary: @escaping @Sendable (RecordBatch) -> String) async throws -> RecoveryReport {
        try await store.releaseAllClaims()
        var report = RecoveryReport()
        for record in try await store.all() {
            switch record.state {
            case .open where record.oneShot != nil:
                if (try? await abort(record.id, sink: record.sink, reason: "a restart interrupted this one-shot write before it was "
                                     + "answered; nothing of it was kept")) != nil { report.aborted += 1 }
            case .open:
                do {
                    _ = try await liveSession(record.id, sink: record.sink)
                    report.resumed += 1
                } catch {
                    report.aborted += 1
                    logger.warning("write session not resumed", metadata: ["session": "\(record.id)", "error": "\(error)"])
                }
            case .finalizing:
                do {
                    let sink = try await resumedSink(record)
                    _ = try await completeFinalize(record, sink: sink, encodeSummary: encodeSummary, answer: Self.oneShotAnswer)
                    report.finalized += 1
                } catch {
                    report.failed += 1
                    logger.warning("write session finalize not completed", metadata: ["session": "\(record.id)", "error": "\(error)"])
                }
            case .aborting:
                if (try? await abort(record.id, sink: record.sink, reason: record.reason ?? "aborted")) != nil { report.aborted += 1 }
            case .finalized, .aborted, .failed:
                break
            }
        }
        // From the store, not from what resumed: a session whose sink could not resume now
        // (a database down) is still open, and its staging must stay.
        let open = Set(try await store.all().filter { $0.state == .open }.map(\.id))
        for entry in catalog.entries {
            guard case let .sink(factory) = entry.connector else { continue }
            do { try await factory.prototype.removeStaging(keeping: open) } catch {
                logger.warning("cannot remove orphaned staging", metadata: ["sink": "\(entry.name)", "error": "\(error)"])
            }
        }
        return report
    }

    /// The answer stored under a one-shot write's key once it is finalized: the summary, as
    /// the route answers it.
    @Sendable static func oneShotAnswer(_ record: WriteSessionRecord) -> IdempotencyRecord? {
        guard let oneShot = record.oneShot, let key = oneShot.idempotencyKey, let digest = oneShot.digest,
              let summary = record.summaryJSON else { return nil }
        return IdempotencyRecord(scope: .oneShot(sink: record.sink, owner: record.owner), key: key, digest: digest, status: 200,
                                 contentType: "application/json", body: Array(summary.utf8) + [UInt8(ascii: "\n")], session: record.id)
    }
}

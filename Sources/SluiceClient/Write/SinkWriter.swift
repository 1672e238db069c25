import Foundation
import HTTPServer
import NIOCore
import SluiceLocks
import NIOHTTP1

/// What `sluice write` asks for.
public struct WriteRequest: Sendable {
    public var sink: String
    public var batchRows: Int
    public var parallel: Int
    public var gzip: Bool
    /// Upload the other batches when one is rejected (and finalize with what was accepted).
    public var keepGoing: Bool
    /// A session to carry on, skipping the batches it already has.
    public var resume: String?
    public var retry: RetryPolicy

    public init(sink: String, batchRows: Int = 100_000, parallel: Int = 2, gzip: Bool = false, keepGoing: Bool = false,
                resume: String? = nil, retry: RetryPolicy = RetryPolicy()) {
        self.sink = sink
        self.batchRows = batchRows
        self.parallel = parallel
        self.gzip = gzip
        self.keepGoing = keepGoing
        self.resume = resume
        self.retry = retry
    }
}

/// A batch the server refused (422), with its errors placed in the input.
public struct Rejection: Sendable {
    public let batch: Int
    public let problem: ServerProblem
    /// `file:line:column: field: message`, one per located error.
    public let messages: [String]
}

public struct WriteOutcome: Sendable {
    public let session: String
    /// The finalize summary as the server sent it (JSON).
    public let summary: [UInt8]
    public let rows: Int
    public let batches: Int
    /// Batches a resumed write found already on the server.
    public let skipped: Int
    public let rejections: [Rejection]
}

/// Why a write stopped before its finalize; `session` is left as the message says.
public struct WriteStopped: Error, Sendable, CustomStringConvertible {
    public enum Reason: Sendable {
        /// Ctrl-C: the session stays open for `--resume`.
        case interrupted
        /// A batch was rejected: the session was aborted.
        case rejected([Rejection])
        /// A request failed for good: the session stays open for `--resume`.
        case failed(String)
    }
    public let session: String
    public let reason: Reason

    public var description: String {
        switch reason {
        case .interrupted: "interrupted"
        case let .rejected(rejections): rejections.flatMap(\.messages).joined(separator: "\n")
        case let .failed(text): text
        }
    }
}

/// One write session from the inputs: open (or resume), upload the batches `parallel` at a
/// time with their Idempotency-Keys, retrying what may be retried, finalize.
///
/// A batch's key comes from its place and content (`BatchKey`), so a retry after a lost
/// answer, a server restart or a resumed command is recognised by the server, and a resumed
/// command skips what the server already acknowledged without sending it.
public final class SinkWriter: Sendable {
    public let client: ServerClient
    public let request: WriteRequest
    public let progress: WriteProgress
    private let note: @Sendable (String) -> Void
    private let stopRequested = Locked(false)

    public init(client: ServerClient, request: WriteRequest, progress: WriteProgress, note: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.request = request
        self.progress = progress
        self.note = note
    }

    /// Stops taking new batches (Ctrl-C); the ones in flight finish, then `run` throws `.interrupted`.
    public func stop() { stopRequested.withLock { $0 = true } }

    private var sinkPath: String { "/v1/sinks/\(URLEscaping.component(request.sink))" }

    struct SessionRecord: Decodable {
        struct Acknowledged: Decodable { let idempotency_key: String? }
        let id: String
        let state: String
        let reason: String?
        let batches: [Acknowledged]
    }

    /// Opens the session (or looks up the one to resume): its id and the keys it already has.
    public func open() async throws -> (session: String, known: [BatchKey]) {
        if let id = request.resume {
            let record = try await request.retry.run({
                try await client.send(.GET, "\(sinkPath)/writes/\(URLEscaping.component(id))").decode(SessionRecord.self)
            }, onRetry: request.retry.notice(client: client, note: note, "looking up session \(id)"))
            switch record.state {
            case "open", "finalizing", "finalized": break
            default:
                throw ClientFailure("session \(id) is \(record.state)\(record.reason.map { " (\($0))" } ?? ""); it cannot be resumed: start a new write")
            }
            return (record.id, record.batches.compactMap { $0.idempotency_key.flatMap(BatchKey.init) })
        }
        let key = "sluice-open:" + UUID().uuidString.lowercased()
        let record = try await request.retry.run({
            try await client.send(.POST, "\(sinkPath)/writes", headers: [("Idempotency-Key", key)]).decode(SessionRecord.self)
        }, onRetry: request.retry.notice(client: client, note: note, "opening a session"))
        return (record.id, [])
    }

    /// Uploads every batch of `inputs` into `session` and finalizes it.
    public func run(session: String, known: [BatchKey], inputs: [InputFile]) async throws -> WriteOutcome {
        // A resumed write cuts the input as the first run did.
        var batchRows = request.batchRows
        if let earlier = known.first?.batchRows, earlier != batchRows {
            note("session \(session) was cut into batches of \(Figures.count(earlier)) rows; resuming with that")
            batchRows = earlier
        }
        let knownByIndex = Dictionary(known.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
        var rejections: [Rejection] = []
        do {
            try await withThrowingTaskGroup(of: Rejection?.self) { group in
                var running = 0
                var index = 0
                for input in inputs {
                    let cutter = BatchCutter(input: input, batchRows: batchRows, firstIndex: index,
                                             stop: { Task.isCancelled || self.stopRequested.withLock { $0 } })
                    while let batch = try cutter.next() {
                        if stopRequested.withLock({ $0 }) { break }
                        let key = batch.key(batchRows: batchRows)
                        if let had = knownByIndex[batch.index] {
                            guard had == key else {
                                throw ClientFailure("\(input.name): batch \(batch.index + 1) (from line \(batch.inputLine(ofBodyLine: 1 + headerLines(batch)) ?? 1)) is not the one session \(session) has "
                                                    + "(\(Figures.count(had.rows)) rows, \(Figures.bytes(had.bytes))); --resume needs the same inputs, in the same order")
                            }
                            progress.acknowledged(batch, skipped: true)
                            continue
                        }
                        if running >= max(request.parallel, 1), let finished = try await group.next() {
                            running -= 1
                            if let finished { rejections.append(finished); if !request.keepGoing { break } }
                        }
                        group.addTask { try await self.upload(batch, key: key, session: session) }
                        running += 1
                    }
                    index = cutter.followingIndex
                    if stopRequested.withLock({ $0 }) || (!rejections.isEmpty && !request.keepGoing) { break }
                }
                for try await finished in group {
                    if let finished { rejections.append(finished) }
                }
            }
        } catch where error is CancellationError || Task.isCancelled || stopRequested.withLock({ $0 }) {
            throw WriteStopped(session: session, reason: .interrupted)
        } catch let stopped as WriteStopped {
            throw stopped
        } catch {
            throw WriteStopped(session: session, reason: .failed(FailureText.describe(error, server: client.address.baseURL)))
        }
        if stopRequested.withLock({ $0 }) { throw WriteStopped(session: session, reason: .interrupted) }
        if !rejections.isEmpty && !request.keepGoing {
            try? await abort(session: session)
            throw WriteStopped(session: session, reason: .rejected(rejections.sorted { $0.batch < $1.batch }))
        }
        let summary: ServerClient.Answer
        do {
            summary = try await request.retry.run({
                try await client.send(.POST, "\(sinkPath)/writes/\(URLEscaping.component(session))/finalize")
            }, onRetry: request.retry.notice(client: client, note: note, "finalizing"))
        } catch {
            throw WriteStopped(session: session, reason: .failed("finalize: " + FailureText.describe(error, server: client.address.baseURL)))
        }
        return WriteOutcome(session: session, summary: summary.body, rows: progress.rows, batches: progress.batches,
                            skipped: progress.skipped, rejections: rejections.sorted { $0.batch < $1.batch })
    }

    /// Aborts the session (a rejected batch without `--keep-going`, or a second Ctrl-C).
    public func abort(session: String) async throws {
        _ = try await request.retry.run({
            try await client.send(.DELETE, "\(sinkPath)/writes/\(URLEscaping.component(session))")
        }, onRetry: request.retry.notice(client: client, note: note, "aborting"))
    }

    /// One batch, retried while the policy allows; a 422 comes back as its `Rejection`.
    private func upload(_ batch: Batch, key: BatchKey, session: String) async throws -> Rejection? {
        var headers = [("Content-Type", batch.format.contentType), ("Idempotency-Key", key.description)]
        var body = batch.body
        if request.gzip {
            body = ByteBuffer(bytes: try GzipCompressor.gzip(Array(buffer: batch.body), level: 3))
            headers.append(("Content-Encoding", "gzip"))
        }
        do {
            let answer = try await request.retry.run({
                try await client.send(.POST, "\(sinkPath)/writes/\(URLEscaping.component(session))/batches", headers: headers, body: body)
            }, onRetry: request.retry.notice(client: client, note: note, "batch \(batch.index + 1) (\(batch.input))"))
            struct Written: Decodable { let rows_written: Int }
            if let written = try? answer.decode(Written.self), written.rows_written != batch.rows {
                note("batch \(batch.index + 1) (\(batch.input)): the server wrote \(Figures.count(written.rows_written)) rows of \(Figures.count(batch.rows))")
            }
            progress.acknowledged(batch)
            return nil
        } catch let problem as ServerProblem where problem.status == 422 && problem.type != "idempotency-key-reused" {
            progress.rejected(batch)
            return Rejection(batch: batch.index, problem: problem, messages: locate(problem, in: batch))
        }
    }

    private func headerLines(_ batch: Batch) -> Int {
        if case let .lines(_, headerLines) = batch.origin { return headerLines }
        return 0
    }

    /// The problem's errors as `file:line:column: field: message`, lines counted in the input.
    func locate(_ problem: ServerProblem, in batch: Batch) -> [String] {
        let place = "\(batch.input) (batch \(batch.index + 1), from line \(batch.inputLine(ofBodyLine: headerLines(batch) + 1) ?? 1))"
        guard !problem.errors.isEmpty else { return ["\(place): \(problem.detail ?? problem.title ?? "rejected")"] }
        return problem.errors.map { error in
            var where_ = place
            if let line = error.line, line > 0, let inputLine = batch.inputLine(ofBodyLine: line) {
                where_ = "\(batch.input):\(inputLine)" + ((error.column ?? 0) > 0 ? ":\(error.column!)" : "")
            }
            return "\(where_): " + (error.field.map { "\($0): " } ?? "") + error.message
        }
    }
}

import Foundation
import NIOCore
import SluiceLocks
import AsyncHTTPClient
import NIOHTTP1

/// What `sluice read` asks for.
public struct ReadRequest: Sendable {
    public var source: String
    public var columns: [String]?
    public var filter: String?
    /// Rows in all (each task is also asked for at most this many).
    public var limit: Int?
    public var format: RowFormat
    /// Tasks read at once.
    public var parallel: Int
    /// Rows in task order (the default), or each task's rows as soon as the task is complete.
    public var ordered: Bool
    public var retry: RetryPolicy

    public init(source: String, columns: [String]? = nil, filter: String? = nil, limit: Int? = nil, format: RowFormat = .ndjson,
                parallel: Int = 4, ordered: Bool = true, retry: RetryPolicy = RetryPolicy()) {
        self.source = source
        self.columns = columns
        self.filter = filter
        self.limit = limit
        self.format = format
        self.parallel = parallel
        self.ordered = ordered
        self.retry = retry
    }
}

public struct ReadOutcome: Sendable {
    public let tasks: Int
    public let rows: Int
    /// Bytes written to the output.
    public let bytes: Int
}

/// Reads every task of a source, `parallel` at a time, each into a spool file, and writes the
/// spools to the output in task order (or as they complete). A task's stream counts as
/// complete only when it ended cleanly and its rows match the `Sluice-Row-Count` trailer; any
/// other ending is retried from the task's first row, up to the policy's retries, and then
/// fails the whole read: the output never gets a short "success".
public struct SourceReader: Sendable {
    public let client: ServerClient
    public let request: ReadRequest
    public let progress: ReadProgress
    /// Hears retry notices and warnings.
    public let note: @Sendable (String) -> Void

    public init(client: ServerClient, request: ReadRequest, progress: ReadProgress, note: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.request = request
        self.progress = progress
        self.note = note
    }

    struct TaskList: Decodable {
        struct Entry: Decodable { let index: Int; let rows_url: String }
        let tasks: [Entry]
    }

    struct TaskRows: Sendable {
        let index: Int
        let spool: TaskSpool
        let rows: Int
    }

    public func run(into output: OutputFile) async throws -> ReadOutcome {
        let query = URLEscaping.query([("columns", request.columns?.joined(separator: ",")), ("where", request.filter),
                                       ("limit", request.limit.map(String.init)), ("format", request.format == .csv ? "csv" : nil)])
        let list = try await request.retry.run({
            try await client.send(.GET, "/v1/sources/\(URLEscaping.component(request.source))/tasks\(query)").decode(TaskList.self)
        }, onRetry: request.retry.notice(client: client, note: note, "the task list"))
        progress.planned(tasks: list.tasks.count)

        var writer = SpoolWriter(format: request.format, limit: request.limit, output: output)
        let warnedNoTrailer = OnceFlag()
        try await withThrowingTaskGroup(of: TaskRows.self) { group in
            var pending = list.tasks.makeIterator()
            var completed: [Int: TaskRows] = [:]
            var order = list.tasks.map(\.index).makeIterator()
            var nextInOrder = order.next()
            func startNext() -> Bool {
                guard let task = pending.next() else { return false }
                group.addTask { try await read(task, warnedNoTrailer: warnedNoTrailer) }
                return true
            }
            for _ in 0..<max(request.parallel, 1) {
                guard startNext() else { break }
            }
            while let done = try await group.next() {
                if request.ordered {
                    completed[done.index] = done
                    while let index = nextInOrder, let ready = completed.removeValue(forKey: index) {
                        try writer.write(ready.spool)
                        nextInOrder = order.next()
                    }
                } else {
                    try writer.write(done.spool)
                }
                if writer.limitReached {
                    group.cancelAll()
                    break
                }
                _ = startNext()
            }
        }
        return ReadOutcome(tasks: list.tasks.count, rows: writer.rows, bytes: writer.bytes)
    }

    /// One task into a new spool, tried again from the start while the policy allows.
    private func read(_ task: TaskList.Entry, warnedNoTrailer: OnceFlag) async throws -> TaskRows {
        let spool = TaskSpool()
        let headers = request.format == .csv ? [("Accept", "text/csv")] : [("Accept", "application/x-ndjson")]
        do {
            return try await request.retry.run({
                try spool.reset()
                progress.began(task: task.index)
                let response = try await client.start(.GET, task.rows_url, headers: headers)
                var counter = RowCounter(format: request.format)
                for try await buffer in response.body {
                    buffer.withUnsafeReadableBytes { counter.feed($0) }
                    try spool.append(buffer)
                    progress.streamed(task: task.index, rows: counter.rows, bytes: buffer.readableBytes)
                }
                if let announced = response.body.trailers?.first(name: "Sluice-Row-Count") {
                    guard Int(announced) == counter.rows else {
                        throw ClientFailure("the stream of task \(task.index) ended after \(Figures.count(counter.rows)) rows, but the server sent \(announced)",
                                            retriable: true)
                    }
                } else if warnedNoTrailer.firstTime() {
                    note("warning: the server's streams end without a Sluice-Row-Count trailer (a proxy may drop it); "
                         + "completeness rests on the chunked framing alone")
                }
                progress.finished(task: task.index, rows: counter.rows, bytes: spool.size)
                return TaskRows(index: task.index, spool: spool, rows: counter.rows)
            }, onRetry: { error, attempt, wait in
                progress.restarted(task: task.index)
                request.retry.notice(client: client, note: note, "task \(task.index)")(error, attempt, wait)
            })
        } catch {
            throw ClientFailure("task \(task.index) of \(request.source) failed"
                                + (RetryPolicy.verdict(for: error).retriable ? " after \(request.retry.retries + 1) tries" : "")
                                + ": " + FailureText.describe(error, server: client.address.baseURL))
        }
    }
}

/// Copies complete task spools to the output: one CSV header in all, and no row past the limit.
struct SpoolWriter {
    let format: RowFormat
    let limit: Int?
    let output: OutputFile
    private(set) var rows = 0
    private(set) var bytes = 0
    private var wroteHeader = false

    init(format: RowFormat, limit: Int?, output: OutputFile) {
        self.format = format
        self.limit = limit
        self.output = output
    }

    var limitReached: Bool { limit.map { rows >= $0 } ?? false }

    mutating func write(_ spool: TaskSpool) throws {
        guard !limitReached else { return }
        let skipHeader = format == .csv && wroteHeader
        let header = format == .csv ? 1 : 0
        // Records to copy, the header counted: every row, or what the limit leaves.
        let target = limit.map { $0 - rows + header }
        var counter = RowCounter(format: format)
        var copied = 0
        let output = output
        try spool.forEachChunk { chunk in
            var start = 0
            if skipHeader, counter.records == 0 {
                guard let end = counter.feed(chunk, stopAfter: 1) else { return true }
                start = end
            }
            let rest = UnsafeRawBufferPointer(rebasing: chunk[start...])
            if let target, let end = counter.feed(rest, stopAfter: target) {
                try output.write(UnsafeRawBufferPointer(rebasing: rest[..<end]))
                copied += end
                return false
            }
            if target == nil { counter.feed(rest) }
            try output.write(rest)
            copied += rest.count
            return true
        }
        if format == .csv { wroteHeader = wroteHeader || counter.records > 0 }
        rows += counter.rows
        bytes += copied
    }
}

/// True the first time it is asked, then false (a warning given once per command).
final class OnceFlag: Sendable {
    private let asked = Locked(false)

    func firstTime() -> Bool {
        asked.withLock { asked in defer { asked = true }; return !asked }
    }
}

import HTTPServer
import SluiceCore
import Foundation
import Logging

extension SluiceAPI {
    /// `GET /v1/sources/{name}/rows`, `.../tasks` and `.../tasks/{task}/rows`.
    func registerSourceRoutes(on router: Router) {
        route(router, .GET, "/v1/sources/{name}/rows", access: .connector(.source), holds: .streams) { [self] request, writer, _ in
            let (entry, source, query) = try sourceRequest(request)
            let tasks = try await source.tasks(query.pushdowns)
            try await streamRows(request, writer, entry: entry, source: source, query: query, tasks: tasks)
            return 200
        }
        route(router, .GET, "/v1/sources/{name}/tasks", access: .connector(.source)) { [self] request, writer, _ in
            let (entry, source, query) = try sourceRequest(request)
            let tasks = try await source.tasks(query.pushdowns)
            let suffix = query.queryString.isEmpty ? "" : "?" + query.queryString
            let pushdowns = query.pushdowns
            let document = JSONValue.object([
                ("source", .string(entry.name)),
                ("schema", Documents.schema(try PushdownApplier.outputSchema(for: pushdowns, sourceSchema: source.schema))),
                ("pushdowns", .object([
                    ("columns", pushdowns.columns.map { .array($0.map(JSONValue.string)) } ?? .null),
                    ("where", .optional(pushdowns.filter?.description)),
                    ("limit", pushdowns.limit.map { .int(Int64($0)) } ?? .null),
                ])),
                ("tasks", .array(tasks.indices.map { i in
                    .object([("index", .int(Int64(i))),
                             ("rows_url", .string("/v1/sources/\(entry.name)/tasks/\(i)/rows\(suffix)"))])
                })),
            ])
            try await writer.send(document.response())
            return 200
        }
        route(router, .GET, "/v1/sources/{name}/tasks/{task}/rows", access: .connector(.source), holds: .streams) { [self] request, writer, _ in
            let (entry, source, query) = try sourceRequest(request)
            let text = request.parameter("task") ?? ""
            guard let index = Int(text), index >= 0 else {
                throw APIError.badParameter("task", "the task must be a non-negative integer, not '\(text)'")
            }
            let tasks = try await source.tasks(query.pushdowns)
            guard index < tasks.count else {
                throw APIError.notFound("source '\(entry.name)' has \(tasks.count) task(s) for these pushdowns; there is no task \(index)")
            }
            try await streamRows(request, writer, entry: entry, source: source, query: query, tasks: [tasks[index]])
            return 200
        }
    }

    private func sourceRequest(_ request: HTTPRequest) throws -> (Catalog.Entry, any DataSource, SourceQuery) {
        let entry = try entry(request, kind: .source)
        guard case let .source(source) = entry.connector else { preconditionFailure() }
        let query = try SourceQuery(query: request.queryItems.map { ($0.name, $0.value) }, schema: source.schema)
        return (entry, source, query)
    }

    /// Streams the rows of `tasks` as chunked NDJSON or CSV with a row-count trailer. A failure
    /// once the response has started aborts it (no terminating chunk): the client sees an
    /// incomplete body, never a short success.
    private func streamRows(_ request: HTTPRequest, _ writer: HTTPResponseWriter, entry: Catalog.Entry,
                            source: any DataSource, query: SourceQuery, tasks: [any DataSourceTask]) async throws {
        let format = try query.format ?? RowFormat(accept: request.headers["Accept"])
        let streamer = try RowStreamer(tasks: tasks, pushdowns: query.pushdowns, sourceSchema: source.schema, format: format,
                                       slots: encodeSlots)
        try await writer.start(status: .ok, headers: ["Content-Type": format.contentType, "Trailer": "Sluice-Row-Count"],
                               compressible: true)
        if request.method == .HEAD { return try await writer.finish() }
        let counter = CountingWriter(base: ResponseByteWriter(writer: writer))
        let rows: Int
        do {
            rows = try await streamer.run(into: counter)
        } catch {
            if counter.clientLeft {
                // Not a failure of the source: the client closed or reset the connection.
                logger.info("client disconnected mid-stream",
                            metadata: ["source": "\(entry.name)", "bytes_sent": "\(counter.bytes)", "remote": "\(request.remoteAddress)"])
            } else {
                logger.error("source failed mid-stream; response aborted",
                             metadata: ["source": "\(entry.name)", "bytes_sent": "\(counter.bytes)", "error": "\(error)"])
            }
            metrics.rowsStreamed(source: entry.name, rows: 0, bytes: counter.bytes)
            writer.abort()
            return
        }
        try await writer.finish(trailers: ["Sluice-Row-Count": String(rows)])
        metrics.rowsStreamed(source: entry.name, rows: rows, bytes: counter.bytes)
    }
}

/// Counts the bytes handed to the response (for metrics and the log), and notes whether a
/// write failed because the client went away, so that a departure is not logged as a
/// failing source.
final class CountingWriter: ByteStreamWriter, @unchecked Sendable {
    // `@unchecked Sendable` guard: `bytes` and `clientLeft` are written and read by the one task that streams the response.
    let base: any ByteStreamWriter
    private(set) var bytes = 0
    private(set) var clientLeft = false

    init(base: any ByteStreamWriter) { self.base = base }

    func write(_ data: [UInt8]) async throws {
        do {
            try await base.write(data)
            bytes += data.count
        } catch let error as ConnectionClosedError {
            clientLeft = true
            throw error
        }
    }
}

extension RowFormat {
    /// Content negotiation: CSV when `Accept` asks for it and not for NDJSON, NDJSON when it
    /// allows JSON-ish or anything; otherwise 406.
    init(accept: String?) throws {
        guard let accept, !accept.isEmpty else { self = .ndjson; return }
        let types = accept.split(separator: ",").compactMap { part -> String? in
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if fields.dropFirst().contains(where: { $0.replacingOccurrences(of: " ", with: "") == "q=0" }) { return nil }
            return fields.first
        }
        let ndjson = ["application/x-ndjson", "application/ndjson", "application/jsonl", "application/json", "*/*", "application/*"]
        if types.contains("text/csv"), !types.contains(where: { $0.hasSuffix("ndjson") || $0 == "application/jsonl" }) {
            self = .csv
        } else if types.contains(where: ndjson.contains) || types.contains("text/*") || types.contains("text/plain") {
            self = types.contains("text/*") && !types.contains(where: ndjson.contains) ? .csv : .ndjson
        } else {
            throw APIError(406, "not-acceptable", "Not Acceptable",
                           "rows are available as application/x-ndjson or text/csv; Accept was '\(accept)'")
        }
    }
}

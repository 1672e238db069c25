import HTTPServer
import SluiceCore

extension SluiceAPI {
    /// Write sessions (`/v1/sinks/{name}/writes...`) and the one-shot `POST /v1/sinks/{name}`.
    func registerSinkRoutes(on router: Router) {
        route(router, .POST, "/v1/sinks/{name}/writes") { [self] request, writer in
            let (entry, factory) = try sinkRequest(request)
            let record = try await sessions.open(sink: entry.name, factory: factory)
            let location = "/v1/sinks/\(entry.name)/writes/\(record.id)"
            try await writer.send(Documents.session(record).response(status: .created, headers: ["Location": location]))
            return 201
        }
        route(router, .GET, "/v1/sinks/{name}/writes/{id}") { [self] request, writer in
            let (entry, _) = try sinkRequest(request)
            let record = try await sessions.record(request.parameter("id") ?? "", sink: entry.name)
            try await writer.send(Documents.session(record).response())
            return 200
        }
        route(router, .POST, "/v1/sinks/{name}/writes/{id}/batches", bodyLimit: limits.maxUploadBytes) { [self] request, writer in
            let (entry, factory) = try sinkRequest(request)
            let id = request.parameter("id") ?? ""
            _ = try await sessions.record(id, sink: entry.name)  // 404 before reading the body
            let batches = try await UploadDecoding.stream(for: request, schema: factory.prototype.inputSchema,
                                                          options: decodeOptions, limit: limits.maxUploadBytes)
            let results = try await sessions.upload(id, sink: entry.name, batches: batches)
            record(results, sink: entry.name)
            try await writer.send(Documents.writeResults(session: id, results).response())
            return 200
        }
        route(router, .POST, "/v1/sinks/{name}/writes/{id}/finalize") { [self] request, writer in
            let (entry, _) = try sinkRequest(request)
            let record = try await sessions.finalize(request.parameter("id") ?? "", sink: entry.name) {
                String(decoding: Documents.summary($0).bytes, as: UTF8.self)
            }
            try await writer.send(JSONValue.raw(Array((record.summaryJSON ?? "{}").utf8)).response())
            return 200
        }
        route(router, .DELETE, "/v1/sinks/{name}/writes/{id}") { [self] request, writer in
            let (entry, _) = try sinkRequest(request)
            let record = try await sessions.abort(request.parameter("id") ?? "", sink: entry.name)
            try await writer.send(Documents.session(record).response())
            return 200
        }
        route(router, .POST, "/v1/sinks/{name}", bodyLimit: limits.maxUploadBytes) { [self] request, writer in
            let (entry, factory) = try sinkRequest(request)
            let summary = try await writeOnce(request, sink: entry.name, factory: factory)
            try await writer.send(Documents.summary(summary).response())
            return 200
        }
    }

    private func sinkRequest(_ request: HTTPRequest) throws -> (Catalog.Entry, SinkFactory) {
        let entry = try entry(request, kind: .sink)
        guard case let .sink(factory) = entry.connector else { preconditionFailure() }
        return (entry, factory)
    }

    var decodeOptions: DecodeOptions {
        DecodeOptions(maxLineLength: limits.maxLineLength, batchRows: limits.batchRows, maxIssues: 100)
    }

    /// start, write the body, finalize; nothing is left behind when any step fails.
    private func writeOnce(_ request: HTTPRequest, sink name: String, factory: SinkFactory) async throws -> RecordBatch {
        let sink = try factory.make()
        let batches = try await UploadDecoding.stream(for: request, schema: sink.inputSchema, options: decodeOptions,
                                                      limit: limits.maxUploadBytes)
        try await sink.start()
        let results: [ErasedWriteResult]
        do { results = try await sink.write(batches) } catch {
            try? await sink.abort([])
            throw error
        }
        do {
            let summary = try await sink.finalize(results)
            record(results, sink: name)
            return summary
        } catch {
            try? await sink.abort(results)
            throw error
        }
    }

    private func record(_ results: [ErasedWriteResult], sink: String) {
        metrics.rowsWritten(sink: sink, rows: results.reduce(0) { $0 + $1.rowsWritten },
                            bytes: results.reduce(0) { $0 + $1.bytesWritten })
    }
}

import HTTPServer
import SluiceCore

extension SluiceAPI {
    /// Write sessions (`/v1/sinks/{name}/writes...`) and the one-shot `POST /v1/sinks/{name}`.
    /// Opening a session, uploading a batch and a one-shot write honour `Idempotency-Key`.
    func registerSinkRoutes(on router: Router) {
        route(router, .POST, "/v1/sinks/{name}/writes") { [self] request, writer in
            let (entry, _) = try sinkRequest(request)
            return try await idempotent(request, writer, scope: .open(sink: entry.name, owner: nil)) { body, exchange in
                try await body.drain()
                let record = try await sessions.open(sink: entry.name) { record in
                    exchange?.answer(Documents.session(record), status: 201, location: Self.location(record), session: record.id)
                }
                try await writer.send(Documents.session(record).response(status: .created, headers: ["Location": Self.location(record)]))
                return 201
            }
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
            return try await idempotent(request, writer, scope: .batches(session: id)) { body, exchange in
                let batches = try await UploadDecoding.stream(for: request, body: body, schema: factory.prototype.inputSchema,
                                                              options: decodeOptions)
                let results = try await sessions.upload(id, sink: entry.name, idempotencyKey: exchange?.key, batches: batches) { results in
                    exchange?.answer(Documents.writeResults(session: id, results), session: id)
                }
                record(results, sink: entry.name)
                try await writer.send(Documents.writeResults(session: id, results).response())
                return 200
            }
        }
        route(router, .POST, "/v1/sinks/{name}/writes/{id}/finalize") { [self] request, writer in
            let (entry, _) = try sinkRequest(request)
            let record = try await sessions.finalize(request.parameter("id") ?? "", sink: entry.name, encodeSummary: Self.summaryText)
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
            return try await idempotent(request, writer, scope: .oneShot(sink: entry.name, owner: nil)) { body, exchange in
                let summary = try await writeOnce(request, body: body, sink: entry.name, factory: factory, key: exchange?.key)
                try await writer.send(JSONValue.raw(Array(summary.utf8)).response())
                return 200
            }
        }
    }

    private func sinkRequest(_ request: HTTPRequest) throws -> (Catalog.Entry, SinkFactory) {
        let entry = try entry(request, kind: .sink)
        guard case let .sink(factory) = entry.connector else { preconditionFailure() }
        return (entry, factory)
    }

    static func location(_ record: WriteSessionRecord) -> String { "/v1/sinks/\(record.sink)/writes/\(record.id)" }

    /// The finalize summary as the API answers it.
    @Sendable static func summaryText(_ summary: RecordBatch) -> String {
        String(decoding: Documents.summary(summary).bytes, as: UTF8.self)
    }

    var decodeOptions: DecodeOptions {
        DecodeOptions(maxLineLength: limits.maxLineLength, batchRows: limits.batchRows, maxIssues: 100)
    }

    /// A one-shot write: a session of its own (so a crash part way is undone at restart, or
    /// completed if it was finalizing), opened, written and finalized; nothing is left behind
    /// when any step fails. Returns the summary's JSON text.
    private func writeOnce(_ request: HTTPRequest, body: UploadBody, sink name: String, factory: SinkFactory,
                           key: String?) async throws -> String {
        let batches = try await UploadDecoding.stream(for: request, body: body, schema: factory.prototype.inputSchema,
                                                      options: decodeOptions)
        let session = try await sessions.open(sink: name, oneShot: WriteSessionRecord.OneShot(idempotencyKey: key))
        do {
            let results = try await sessions.upload(session.id, sink: name, batches: batches)
            await sessions.setOneShotDigest(session.id, body.digest)
            let finalized = try await sessions.finalize(session.id, sink: name, encodeSummary: Self.summaryText,
                                                        answer: WriteSessionManager.oneShotAnswer)
            record(results, sink: name)
            return finalized.summaryJSON ?? "{}"
        } catch {
            _ = try? await sessions.abort(session.id, sink: name, reason: "the one-shot write failed: \(error)")
            throw error
        }
    }

    private func record(_ results: [ErasedWriteResult], sink: String) {
        metrics.rowsWritten(sink: sink, rows: results.reduce(0) { $0 + $1.rowsWritten },
                            bytes: results.reduce(0) { $0 + $1.bytesWritten })
    }
}

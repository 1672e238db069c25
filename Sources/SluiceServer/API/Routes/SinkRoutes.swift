import HTTPServer
import SluiceCore

extension SluiceAPI {
    /// Write sessions (`/v1/sinks/{name}/writes...`) and the one-shot `POST /v1/sinks/{name}`.
    /// Opening a session, uploading a batch and a one-shot write honour `Idempotency-Key`.
    func registerSinkRoutes(on router: Router) {
        route(router, .POST, "/v1/sinks/{name}/writes", access: .connector(.sink)) { [self] request, writer, principal in
            let (entry, _) = try sinkRequest(request)
            return try await idempotent(request, writer, scope: .open(sink: entry.name, owner: principal.owner)) { body, exchange in
                try await body.drain()
                let record = try await sessions.open(sink: entry.name, owner: principal.owner,
                                                     ownerLimit: principal.token?.limits.sessions) { record in
                    exchange?.answer(Documents.session(record), status: 201, location: Self.location(record), session: record.id)
                }
                try await writer.send(Documents.session(record).response(status: .created, headers: ["Location": Self.location(record)]))
                return 201
            }
        }
        route(router, .GET, "/v1/sinks/{name}/writes/{id}", access: .connector(.sink)) { [self] request, writer, principal in
            // A session outlives its sink's configuration: after the sink was removed, its
            // sessions still answer (aborted, with the reason).
            let sink = (try? sinkRequest(request).0.name) ?? request.parameter("name") ?? ""
            let record: WriteSessionRecord
            do { record = try await ownedSession(request, sink: sink, principal) } catch {
                _ = try sinkRequest(request)  // no such session: say what is wrong with the sink, if anything
                throw error
            }
            try await writer.send(Documents.session(record).response())
            return 200
        }
        route(router, .POST, "/v1/sinks/{name}/writes/{id}/batches", bodyLimit: limits.uploadLimit, access: .connector(.sink),
              holds: .uploads) { [self] request, writer, principal in
            let (entry, factory) = try sinkRequest(request)
            let id = try await ownedSession(request, sink: entry.name, principal).id  // 404 before reading the body
            return try await idempotent(request, writer, scope: .batches(session: id)) { body, exchange in
                let batches = try await UploadDecoding.stream(for: request, body: body, schema: try await factory.prototype.uploadSchema(),
                                                              options: decodeOptions)
                let results = try await sessions.upload(id, sink: entry.name, idempotencyKey: exchange?.key, batches: batches) { results in
                    exchange?.answer(Documents.writeResults(session: id, results), session: id)
                }
                record(results, sink: entry.name)
                try await writer.send(Documents.writeResults(session: id, results).response())
                return 200
            }
        }
        route(router, .POST, "/v1/sinks/{name}/writes/{id}/finalize", access: .connector(.sink)) { [self] request, writer, principal in
            let (entry, _) = try sinkRequest(request)
            let id = try await ownedSession(request, sink: entry.name, principal).id
            let record = try await sessions.finalize(id, sink: entry.name, encodeSummary: Self.summaryText)
            try await writer.send(JSONValue.raw(Array((record.summaryJSON ?? "{}").utf8)).response())
            return 200
        }
        route(router, .DELETE, "/v1/sinks/{name}/writes/{id}", access: .connector(.sink)) { [self] request, writer, principal in
            let (entry, _) = try sinkRequest(request)
            let id = try await ownedSession(request, sink: entry.name, principal).id
            let record = try await sessions.abort(id, sink: entry.name)
            try await writer.send(Documents.session(record).response())
            return 200
        }
        route(router, .POST, "/v1/sinks/{name}", bodyLimit: limits.uploadLimit, access: .connector(.sink),
              holds: .uploads) { [self] request, writer, principal in
            let (entry, factory) = try sinkRequest(request)
            return try await idempotent(request, writer, scope: .oneShot(sink: entry.name, owner: principal.owner)) { body, exchange in
                let summary = try await writeOnce(request, body: body, sink: entry.name, factory: factory, key: exchange?.key,
                                                  principal: principal)
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

    /// The session `{id}` of the sink, when `principal` may see it: another token's session
    /// (for a token that is not `admin`) is 404, as if it did not exist.
    private func ownedSession(_ request: HTTPRequest, sink: String, _ principal: Principal) async throws -> WriteSessionRecord {
        let id = request.parameter("id") ?? ""
        let record = try await sessions.record(id, sink: sink)
        guard principal.owns(sessionOf: record.owner) else { throw WriteSessionError.notFound(id: id, sink: sink) }
        return record
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
                           key: String?, principal: Principal) async throws -> String {
        let batches = try await UploadDecoding.stream(for: request, body: body, schema: try await factory.prototype.uploadSchema(),
                                                      options: decodeOptions)
        let session = try await sessions.open(sink: name, owner: principal.owner, ownerLimit: principal.token?.limits.sessions,
                                              oneShot: WriteSessionRecord.OneShot(idempotencyKey: key))
        do {
            let results = try await sessions.upload(session.id, sink: name, batches: batches)
            await sessions.setOneShotDigest(session.id, body.digest)
            let finalized = try await sessions.finalize(session.id, sink: name, encodeSummary: Self.summaryText,
                                                        answer: WriteSessionManager.oneShotAnswer)
            record(results, sink: name)
            return finalized.summaryJSON ?? "{}"
        } catch {
            _ = try? await sessions.abort(session.id, sink: name, reason: "the one-shot write failed: \(error)", forget: true)
            throw error
        }
    }

    private func record(_ results: [ErasedWriteResult], sink: String) {
        metrics.rowsWritten(sink: sink, rows: results.reduce(0) { $0 + $1.rowsWritten },
                            bytes: results.reduce(0) { $0 + $1.bytesWritten })
    }
}

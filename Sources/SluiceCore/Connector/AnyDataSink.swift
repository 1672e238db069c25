import Foundation

/// A type-erased `DataSink`: write results travel as JSON (`ErasedWriteResult`), so the server
/// can answer them, keep them in a session store and hand them back to `finalize`/`abort`
/// without knowing the sink's `Result` type. Encoding happens once per write result, not
/// per row.
///
/// `@unchecked Sendable` guard: every stored property is a `let` of a Sendable value or of a
/// closure over the wrapped sink, which is itself `Sendable` (`DataSink: Sendable`).
public final class AnyDataSink: @unchecked Sendable {
    public let name: String
    public let schema: Schema
    public let inputSchema: Schema?
    private let _uploadSchema: () async throws -> Schema?
    private let _start: () async throws -> Void
    private let _write: (RecordBatchStream) async throws -> [ErasedWriteResult]
    private let _finalize: ([ErasedWriteResult]) async throws -> RecordBatch
    private let _abort: ([ErasedWriteResult]) async throws -> Void
    private let _resume: ([ErasedWriteResult]) async throws -> Void
    private let _removeStaging: (Set<String>) async throws -> Void
    /// The wrapped sink, for callers that know its type.
    public let base: AnyObject

    public init<S: DataSink>(_ sink: S) {
        name = sink.name
        schema = sink.schema
        inputSchema = sink.inputSchema
        base = sink
        _uploadSchema = { try await sink.uploadSchema() }
        _start = { try await sink.start() }
        _write = { stream in try await sink.write(stream).map { try ErasedWriteResult($0) } }
        _finalize = { results in try await sink.finalizeChecked(try results.map { try $0.typed(S.Result.self) }) }
        _abort = { results in try await sink.abort(try results.map { try $0.typed(S.Result.self) }) }
        _resume = { results in try await sink.resume(try results.map { try $0.typed(S.Result.self) }) }
        _removeStaging = { sessions in try await sink.removeStaging(keeping: sessions) }
    }

    public func uploadSchema() async throws -> Schema? { try await _uploadSchema() }
    public func start() async throws { try await _start() }
    public func write(_ batches: RecordBatchStream) async throws -> [ErasedWriteResult] { try await _write(batches) }
    /// Finalizes and checks the summary's schema against `schema`.
    public func finalize(_ results: [ErasedWriteResult]) async throws -> RecordBatch { try await _finalize(results) }
    public func abort(_ results: [ErasedWriteResult]) async throws { try await _abort(results) }
    public func resume(_ results: [ErasedWriteResult]) async throws { try await _resume(results) }
    public func removeStaging(keeping sessions: Set<String>) async throws { try await _removeStaging(sessions) }
}

/// A `WriteResult` with its sink-specific `result` held as JSON text.
public struct ErasedWriteResult: Sendable, Hashable, Codable {
    /// The sink's result value, encoded as JSON.
    public var resultJSON: String
    public var rowsWritten: Int64
    public var bytesWritten: Int64

    public init(resultJSON: String, rowsWritten: Int64, bytesWritten: Int64) {
        self.resultJSON = resultJSON
        self.rowsWritten = rowsWritten
        self.bytesWritten = bytesWritten
    }

    public init<R>(_ result: WriteResult<R>) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        resultJSON = String(decoding: try encoder.encode(result.result), as: UTF8.self)
        rowsWritten = result.rowsWritten
        bytesWritten = result.bytesWritten
    }

    public func typed<R: Codable & Sendable>(_: R.Type) throws -> WriteResult<R> {
        WriteResult(result: try JSONDecoder().decode(R.self, from: Data(resultJSON.utf8)),
                    rowsWritten: rowsWritten, bytesWritten: bytesWritten)
    }
}

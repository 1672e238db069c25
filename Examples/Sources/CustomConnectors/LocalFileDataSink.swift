import Foundation
import SluiceCore

/// The guide's `LocalFileDataSink`, in Swift: rows go to files of at most `maxRowsPerFile`
/// rows named `<prefix>_<uuid>.txt`, one JSON object per line; one `WriteResult` per file;
/// `finalize` sums them into the guide's summary table.
final class LocalFileDataSink: DataSink, @unchecked Sendable {
    struct FileWritten: Codable, Sendable {
        var path: String
    }

    let outputDirectory: String
    let filenamePrefix: String
    let maxRowsPerFile: Int

    init(outputDirectory: String, filenamePrefix: String = "data", maxRowsPerFile: Int = 10) throws {
        self.outputDirectory = outputDirectory
        self.filenamePrefix = filenamePrefix
        self.maxRowsPerFile = maxRowsPerFile
        try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
    }

    var name: String { "Local File Data Sink" }

    var schema: Schema {
        Schema([Field("files_written", .int64), Field("total_rows", .int64),
                Field("total_bytes", .int64), Field("output_directory", .string)])
    }

    func start() async throws {
        print("Starting write to \(outputDirectory), at most \(maxRowsPerFile) rows per file")
    }

    func write(_ batches: RecordBatchStream) async throws -> [WriteResult<FileWritten>] {
        var results: [WriteResult<FileWritten>] = []
        do {
            for try await batch in batches {
                var start = 0
                while start < batch.rowCount {
                    let chunk = batch.slice(start..<min(start + maxRowsPerFile, batch.rowCount))
                    results.append(try writeFile(chunk))
                    start += chunk.rowCount
                }
            }
        } catch {
            try await abort(results)  // the contract: a failed write leaves nothing behind
            throw error
        }
        return results
    }

    func finalize(_ results: [WriteResult<FileWritten>]) async throws -> RecordBatch {
        guard !results.isEmpty else { return .empty(schema) }
        let rows = results.reduce(0) { $0 + $1.rowsWritten }
        let bytes = results.reduce(0) { $0 + $1.bytesWritten }
        print("Write completed: \(results.count) files, \(rows) rows, \(bytes) bytes")
        return try RecordBatch(schema: schema, rows: [[.int(Int64(results.count)), .int(rows), .int(bytes), .string(outputDirectory)]])
    }

    func abort(_ results: [WriteResult<FileWritten>]) async throws {
        for result in results { try? FileManager.default.removeItem(atPath: result.result.path) }
    }

    private func writeFile(_ batch: RecordBatch) throws -> WriteResult<FileWritten> {
        let path = "\(outputDirectory)/\(filenamePrefix)_\(UUID().uuidString.lowercased()).txt"
        var bytes: [UInt8] = []
        NDJSONEncoder(schema: batch.schema).encode(batch, into: &bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        return WriteResult(result: FileWritten(path: path), rowsWritten: Int64(batch.rowCount), bytesWritten: Int64(bytes.count))
    }
}

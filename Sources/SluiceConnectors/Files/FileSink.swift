#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SluiceCore

/// Writes rows as files in one directory (the seed's `LocalFileDataSink`), in one `FileFormat`.
/// `local-files` is this sink with NDJSON; `ndjson-files` and `csv-files` use it too.
///
/// Each `write` call splits its rows into files of at most `maxRowsPerFile` rows named
/// `<prefix>_<uuid>.<ext>` (a new file also starts when the batch schema changes, so a CSV
/// header always fits its rows). Each file is staged under a hidden temporary name, fsynced
/// and renamed; the directory is fsynced before `write` returns, so results describe durable
/// files. One `WriteResult` per file: its name and path, rows, and size in bytes. A `write`
/// that fails removes every file it made. `abort` removes the files its results name.
///
/// `finalize` returns one row of `files_written, total_rows, total_bytes, output_directory`;
/// with no results it returns no rows, as the seed does (`MicroPartition.empty`).
public final class FileSink: DataSink {
    /// One file a write produced.
    public struct WrittenFile: Codable, Sendable, Hashable {
        /// The file name inside the output directory.
        public var file: String
        /// The full path.
        public var path: String
    }

    public static let summarySchema = Schema([
        Field("files_written", .int64),
        Field("total_rows", .int64),
        Field("total_bytes", .int64),
        Field("output_directory", .string),
    ])

    public let format: FileFormat
    public let outputDirectory: String
    public let filenamePrefix: String
    public let maxRowsPerFile: Int
    public let inputSchema: Schema?
    /// The connector type, for errors.
    public let connector: String

    public var name: String { "Local \(format.displayName) files in \(outputDirectory)" }
    public var schema: Schema { Self.summarySchema }

    /// Creates `outputDirectory` (and its parents) when missing.
    public init(format: FileFormat, outputDirectory: String, filenamePrefix: String = "data", maxRowsPerFile: Int = 10,
                inputSchema: Schema? = nil, connector: String = "local-files") throws {
        precondition(maxRowsPerFile > 0, "maxRowsPerFile must be positive")
        self.format = format
        self.outputDirectory = outputDirectory
        self.filenamePrefix = filenamePrefix
        self.maxRowsPerFile = maxRowsPerFile
        self.inputSchema = inputSchema
        self.connector = connector
        do {
            try FileManager.default.createDirectory(atPath: outputDirectory, withIntermediateDirectories: true)
        } catch {
            throw ConnectorError(connector: connector, "cannot create the output directory: \(error.localizedDescription)",
                                 path: outputDirectory)
        }
    }

    public func write(_ batches: RecordBatchStream) async throws -> [WriteResult<WrittenFile>] {
        switch format {
        case .ndjson: return try await write(batches, with: RollingFileWriter<NDJSONEncoder>(sink: self))
        case .csv: return try await write(batches, with: RollingFileWriter<CSVEncoder>(sink: self))
        }
    }

    private func write<E>(_ batches: RecordBatchStream, with writer: RollingFileWriter<E>) async throws
        -> [WriteResult<WrittenFile>] {
        do {
            for try await batch in batches { try writer.append(batch) }
            return try writer.finish()
        } catch {
            writer.removeEverything()
            throw error
        }
    }

    public func finalize(_ results: [WriteResult<WrittenFile>]) async throws -> RecordBatch {
        guard !results.isEmpty else { return .empty(schema) }
        let rows = results.reduce(0) { $0 + $1.rowsWritten }
        let bytes = results.reduce(0) { $0 + $1.bytesWritten }
        return try RecordBatch(schema: schema, rows: [[.int(Int64(results.count)), .int(rows), .int(bytes), .string(outputDirectory)]])
    }

    public func abort(_ results: [WriteResult<WrittenFile>]) async throws {
        guard !results.isEmpty else { return }
        for result in results {
            // Only plain names inside our own directory, whatever the stored path says.
            let name = result.result.file
            guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else { continue }
            if unlink(outputDirectory + "/" + name) != 0, errno != ENOENT {
                throw ConnectorError(connector: connector, "cannot remove the file: \(systemErrorText())",
                                     path: outputDirectory + "/" + name)
            }
        }
        try fsyncDirectory(outputDirectory, connector: connector)
    }

    /// A fresh file name: `<prefix>_<uuid>.<ext>`.
    func newFileName() -> String {
        "\(filenamePrefix)_\(UUID().uuidString.lowercased()).\(format.fileExtension)"
    }
}

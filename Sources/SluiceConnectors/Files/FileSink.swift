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
/// Staging: a session's files go to `<output_dir>/.sluice-staging/<session>/` (hidden, same
/// file system), so the output directory shows finalized data only. Each `write` call splits
/// its rows into files of at most `maxRowsPerFile` rows named `<prefix>_<uuid>.<ext>` (a new
/// file also starts when the batch schema changes, so a CSV header always fits its rows).
/// Each file is written under a temporary name, fsynced and renamed inside the staging
/// folder, which is fsynced before `write` returns, so results describe durable files. One
/// `WriteResult` per file: its name and final path, rows, and size in bytes. A `write` that
/// fails removes every file it made.
///
/// `finalize` renames every result's file into the output directory (a file already there
/// from a finalize that a crash cut short is skipped), fsyncs it and removes the staging
/// folder; it returns one row of `files_written, total_rows, total_bytes, output_directory`
/// (no rows with no results, as the seed's `MicroPartition.empty`). `abort` removes the
/// session's staging folder; `resume` removes the staged files its results do not name.
public final class FileSink: DataSink {
    /// One file a write produced.
    public struct WrittenFile: Codable, Sendable, Hashable {
        /// The file name inside the output directory.
        public var file: String
        /// The full path once finalized.
        public var path: String
    }

    public static let summarySchema = Schema([
        Field("files_written", .int64),
        Field("total_rows", .int64),
        Field("total_bytes", .int64),
        Field("output_directory", .string),
    ])

    /// The hidden folder of the output directory that holds every session's staging.
    public static let stagingFolderName = ".sluice-staging"

    public let format: FileFormat
    public let outputDirectory: String
    public let filenamePrefix: String
    public let maxRowsPerFile: Int
    public let inputSchema: Schema?
    /// The connector type, for errors.
    public let connector: String
    /// The write session this instance serves.
    public let session: String

    public var name: String { "Local \(format.displayName) files in \(outputDirectory)" }
    public var schema: Schema { Self.summarySchema }
    var stagingRoot: String { outputDirectory + "/" + Self.stagingFolderName }
    /// This session's staging folder.
    var stagingDirectory: String { stagingRoot + "/" + session }

    /// Checks that `outputDirectory` can be used; the first write creates it (and its parents).
    public init(format: FileFormat, outputDirectory: String, filenamePrefix: String = "data", maxRowsPerFile: Int = 10,
                inputSchema: Schema? = nil, connector: String = "local-files", session: String = WriteSessionID.random()) throws {
        precondition(maxRowsPerFile > 0, "maxRowsPerFile must be positive")
        precondition(WriteSessionID.isValid(session), "not a session id: \(session)")
        self.format = format
        self.outputDirectory = outputDirectory
        self.filenamePrefix = filenamePrefix
        self.maxRowsPerFile = maxRowsPerFile
        self.inputSchema = inputSchema
        self.connector = connector
        self.session = session
        if let problem = Self.problem(creating: outputDirectory) {
            throw ConnectorError(connector: connector, "cannot use the output directory: \(problem)", path: outputDirectory)
        }
    }

    /// Why `folder` could not be used or created by the first write, or nil. Checks only:
    /// making a sink (`validate-config`, `list`) creates nothing.
    static func problem(creating folder: String) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return "it is a file, not a folder" }
            return FileManager.default.isWritableFile(atPath: folder) ? nil : "this process may not write into it"
        }
        var ancestor = (folder as NSString).deletingLastPathComponent
        while !ancestor.isEmpty, !FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory) {
            let parent = (ancestor as NSString).deletingLastPathComponent
            if parent == ancestor { break }
            ancestor = parent
        }
        if ancestor.isEmpty { ancestor = "." }
        guard FileManager.default.fileExists(atPath: ancestor, isDirectory: &isDirectory), isDirectory.boolValue else {
            return "'\(ancestor)' is a file, not a folder"
        }
        return FileManager.default.isWritableFile(atPath: ancestor) ? nil : "this process may not create folders in '\(ancestor)'"
    }

    // Every file system call runs on `BlockingWork`'s queue (writes, renames, fsyncs).

    public func write(_ batches: RecordBatchStream) async throws -> [WriteResult<WrittenFile>] {
        switch format {
        case .ndjson: return try await write(batches, with: { RollingFileWriter<NDJSONEncoder>(sink: $0) })
        case .csv: return try await write(batches, with: { RollingFileWriter<CSVEncoder>(sink: $0) })
        }
    }

    private func write<E>(_ batches: RecordBatchStream, with make: @escaping @Sendable (FileSink) -> RollingFileWriter<E>) async throws
        -> [WriteResult<WrittenFile>] {
        let writer = try await BlockingConfined.make { [self] in
            do {
                try FileManager.default.createDirectory(atPath: stagingDirectory, withIntermediateDirectories: true)
            } catch {
                throw ConnectorError(connector: connector, "cannot create the staging folder: \(error.localizedDescription)",
                                     path: stagingDirectory)
            }
            return make(self)
        }
        do {
            for try await batch in batches { try await writer.run { try $0.append(batch) } }
            return try await writer.run { try $0.finish() }
        } catch {
            _ = try? await writer.run { $0.removeEverything() }
            throw error
        }
    }

    public func finalize(_ results: [WriteResult<WrittenFile>]) async throws -> RecordBatch {
        try await BlockingWork.run { try self.finalizeNow(results) }
    }

    private func finalizeNow(_ results: [WriteResult<WrittenFile>]) throws -> RecordBatch {
        for result in results {
            let name = try fileName(result)
            let staged = stagingDirectory + "/" + name, final = outputDirectory + "/" + name
            if rename(staged, final) != 0 {
                let failure = errno
                // Moved by a finalize that a crash interrupted: nothing left to do for it.
                guard failure == ENOENT, access(final, F_OK) == 0 else {
                    throw ConnectorError(connector: connector, "cannot move the staged file into place: \(systemErrorText())",
                                         path: staged)
                }
            }
        }
        if !results.isEmpty { try fsyncDirectory(outputDirectory, connector: connector) }
        removeTree(stagingDirectory)
        guard !results.isEmpty else { return .empty(schema) }
        let rows = results.reduce(0) { $0 + $1.rowsWritten }
        let bytes = results.reduce(0) { $0 + $1.bytesWritten }
        return try RecordBatch(schema: schema, rows: [[.int(Int64(results.count)), .int(rows), .int(bytes), .string(outputDirectory)]])
    }

    public func abort(_ results: [WriteResult<WrittenFile>]) async throws {
        try await BlockingWork.run { try self.abortNow() }
    }

    private func abortNow() throws {
        removeTree(stagingDirectory)
        if access(stagingDirectory, F_OK) == 0 {
            throw ConnectorError(connector: connector, "cannot remove the staging folder: \(systemErrorText())", path: stagingDirectory)
        }
        if access(stagingRoot, F_OK) == 0 { try fsyncDirectory(stagingRoot, connector: connector) }
    }

    public func resume(_ results: [WriteResult<WrittenFile>]) async throws {
        let kept = Set(results.map(\.result.file))
        try await BlockingWork.run { [self] in
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: stagingDirectory)) ?? [] where !kept.contains(entry) {
                removeTree(stagingDirectory + "/" + entry)
            }
        }
    }

    public func removeStaging(keeping sessions: Set<String>) async throws {
        try await BlockingWork.run { [self] in
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: stagingRoot)) ?? [] where !sessions.contains(entry) {
                removeTree(stagingRoot + "/" + entry)
            }
        }
    }

    /// A result's file name, refusing anything but a plain name (whatever the stored result says).
    private func fileName(_ result: WriteResult<WrittenFile>) throws -> String {
        let name = result.result.file
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw ConnectorError(connector: connector, "a write result names '\(name)', not a file of this sink", path: stagingDirectory)
        }
        return name
    }

    /// A fresh file name: `<prefix>_<uuid>.<ext>`.
    func newFileName() -> String {
        "\(filenamePrefix)_\(UUID().uuidString.lowercased()).\(format.fileExtension)"
    }

    /// Removes a file or a folder with everything in it; a missing one is fine.
    private func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}

import SluiceCore

/// The files of one `FileSink.write` call: encodes rows into the open file until it holds
/// `maxRowsPerFile` rows (or the schema changes), then commits it and opens the next.
/// Encoded bytes are flushed in blocks of about 1 MiB, so memory stays flat whatever the
/// file size.
final class RollingFileWriter<Encoder: RowFileEncoder> {
    private var flushBytes: Int { 1 << 20 }

    private let sink: FileSink
    private var file: StagedFile?
    private var fileSchema: Schema?
    private var encoder: Encoder?
    private var rowsInFile = 0
    private var pending: [UInt8] = []
    private var results: [WriteResult<FileSink.WrittenFile>] = []

    init(sink: FileSink) { self.sink = sink }

    deinit { file?.discard() }

    func append(_ batch: RecordBatch) throws {
        var offset = 0
        while offset < batch.rowCount {
            if file == nil || fileSchema != batch.schema {
                try closeFile()
                try openFile(schema: batch.schema)
            }
            let take = min(sink.maxRowsPerFile - rowsInFile, batch.rowCount - offset)
            try encoder!.encode(batch.slice(offset..<(offset + take)), into: &pending)
            rowsInFile += take
            offset += take
            if pending.count >= flushBytes { try flush() }
            if rowsInFile == sink.maxRowsPerFile { try closeFile() }
        }
    }

    /// Commits the last file, makes the renames durable and returns one result per file.
    func finish() throws -> [WriteResult<FileSink.WrittenFile>] {
        try closeFile()
        if !results.isEmpty { try fsyncDirectory(sink.stagingDirectory, connector: sink.connector) }
        return results
    }

    /// After a failure: removes the open temporary file and every file already committed.
    func removeEverything() {
        file?.discard()
        file = nil
        for result in results { unlinkIgnoringErrors(sink.stagingDirectory + "/" + result.result.file) }
        results = []
        try? fsyncDirectory(sink.stagingDirectory, connector: sink.connector)
    }

    private func openFile(schema: Schema) throws {
        file = try StagedFile(directory: sink.stagingDirectory, name: sink.newFileName(), connector: sink.connector)
        fileSchema = schema
        encoder = Encoder(fileSchema: schema)
        rowsInFile = 0
    }

    private func flush() throws {
        guard let file, !pending.isEmpty else { return }
        try pending.withUnsafeBytes { try file.write($0) }
        pending.removeAll(keepingCapacity: true)
    }

    private func closeFile() throws {
        guard let open = file else { return }
        try flush()
        try open.commit()
        file = nil
        results.append(WriteResult(result: FileSink.WrittenFile(file: open.name, path: sink.outputDirectory + "/" + open.name),
                                   rowsWritten: Int64(rowsInFile), bytesWritten: Int64(open.bytesWritten)))
    }
}

import SluiceCore

/// Decodes one `FormatFileTask`: the task's owned lines are fed chunk by chunk to a streaming
/// decoder, whose batches are handed out one per pull. A decode error becomes a
/// `ConnectorError` naming the file and the line in the file.
final class FormatFileBatchProducer<Decoder: RowFileDecoder>: RecordBatchProducer {
    private let reader: LineAlignedChunkReader
    private let connector: String
    private var decoder: Decoder
    private var ready: [RecordBatch] = []
    private var decoded = false
    private var remaining: Int?
    /// The file offset of the split's first line, for line numbers in errors.
    private var firstOffset: Int?

    init(_ task: FormatFileTask) throws {
        connector = task.format.connectorType
        reader = LineAlignedChunkReader(file: try ReadableFile(path: task.path, connector: connector), range: task.range)
        decoder = Decoder(fileSchema: task.fileSchema)
        remaining = task.plan.limit
    }

    func nextBatch() throws -> RecordBatch? {
        if remaining == 0 { return nil }
        while ready.isEmpty, !decoded {
            if let chunk = try reader.next() {
                if firstOffset == nil { firstOffset = chunk.offset }
                ready = try located { try decoder.feed(chunk.bytes) }
            } else {
                ready = try located { try decoder.finish() }
                decoded = true
            }
        }
        guard !ready.isEmpty else { return nil }
        var batch = ready.removeFirst()
        if let left = remaining {
            batch = batch.head(left)
            remaining = left - batch.rowCount
        }
        return batch
    }

    /// Runs a decoder step, turning a `DecodeError` into a located `ConnectorError`.
    private func located(_ step: () throws -> [RecordBatch]) throws -> [RecordBatch] {
        do { return try step() } catch let error as DecodeError {
            let start = firstOffset ?? 0
            let linesBefore = start > 0 ? try reader.file.newlines(before: start) : 0
            throw ConnectorError(decoding: error, connector: connector, path: reader.file.path, lineOffset: linesBefore)
        }
    }
}

extension ConnectorError {
    /// The first issue of a decode error, located in a file whose decoded part starts after
    /// `lineOffset` lines.
    init(decoding error: DecodeError, connector: String, path: String, lineOffset: Int) {
        guard let issue = error.issues.first else {
            self.init(connector: connector, "cannot decode the file", path: path)
            return
        }
        var message = "column \(issue.column)"
        if let field = issue.field { message += ", field '\(field)'" }
        message += ": \(issue.message)"
        let more = error.issues.count - 1
        if more > 0 || error.truncated { message += " (and \(more)\(error.truncated ? "+" : "") more)" }
        self.init(connector: connector, message, path: path, line: issue.line + lineOffset)
    }
}

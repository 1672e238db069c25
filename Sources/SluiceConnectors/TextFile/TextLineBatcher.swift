import SluiceCore

/// Turns the owned lines of one split into `line` batches of up to `batchRows` rows.
///
/// Lines end at `\n`; a `\r` before it is dropped; the file's last line needs no newline
/// (a lone `\r` at the very end is kept, as it ends no line); empty lines are rows. Every
/// chunk is checked as UTF-8 before its lines are used.
final class TextLineBatcher: RecordBatchProducer {
    static let connector = "text-file"

    private let reader: LineAlignedChunkReader
    private let batchRows: Int
    private var remaining: Int?
    private var chunk: LineAlignedChunkReader.Chunk?
    private var cursor = 0

    init(path: String, range: Range<Int>, limit: Int?, batchRows: Int = 65_536) throws {
        reader = LineAlignedChunkReader(file: try ReadableFile(path: path, connector: Self.connector), range: range)
        self.batchRows = batchRows
        remaining = limit
    }

    func nextBatch() throws -> RecordBatch? {
        let wanted = min(batchRows, remaining ?? Int.max)
        guard wanted > 0 else { return nil }
        let lines = ColumnBuilder(.string, capacity: wanted)
        var rows = 0
        while rows < wanted, let bytes = try currentChunk() {
            while rows < wanted, cursor < bytes.count {
                let newline = firstNewline(in: bytes, from: cursor)
                var end = newline ?? bytes.count
                if newline != nil, end > cursor, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                lines.append(utf8: UnsafeRawBufferPointer(rebasing: bytes[cursor..<end]))
                cursor = (newline ?? bytes.count) + 1
                rows += 1
            }
        }
        guard rows > 0 else { return nil }
        if let left = remaining { remaining = left - rows }
        return RecordBatch(unchecked: TextFileSource.fileSchema, columns: [lines.build()], rowCount: rows)
    }

    /// The bytes of the chunk being split into lines, reading (and validating) the next chunk
    /// when the current one is used up; nil at the end of the split.
    private func currentChunk() throws -> UnsafeRawBufferPointer? {
        if let chunk, cursor < chunk.bytes.count { return chunk.bytes }
        guard let next = try reader.next() else { chunk = nil; return nil }
        if let bad = UTF8Validation.firstInvalidOffset(next.bytes) {
            throw ConnectorError(connector: Self.connector, "invalid UTF-8", path: reader.file.path, offset: next.offset + bad)
        }
        chunk = next
        cursor = 0
        return next.bytes
    }
}

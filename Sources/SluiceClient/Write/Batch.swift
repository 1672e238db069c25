import NIOCore

/// A slice of an input cut at row boundaries, ready to upload as one batch: NDJSON lines,
/// CSV records after the file's header, or JSON array elements in a new array.
public struct Batch: Sendable {
    /// Position among all batches of the write (0-based, over every input in order).
    public let index: Int
    public let input: String
    public let format: RowFormat
    public let body: ByteBuffer
    /// Rows in it (blank lines not counted).
    public let rows: Int
    /// Bytes of the input it covers (the share-sent figure).
    public let inputBytes: Int
    /// Where a line (or a JSON element) of the body is in the input.
    public let origin: Origin

    public enum Origin: Sendable {
        /// Body line `headerLines + 1` is input line `firstLine`.
        case lines(firstLine: Int, headerLines: Int)
        /// Element k (1-based) of the body starts on input line `lines[k - 1]`.
        case elements(lines: [Int])
    }

    /// The input line of the body's line (NDJSON, CSV) or element (JSON) `line`; nil for a header line.
    public func inputLine(ofBodyLine line: Int) -> Int? {
        switch origin {
        case let .lines(firstLine, headerLines):
            return line > headerLines ? firstLine + line - headerLines - 1 : nil
        case let .elements(lines):
            return line >= 1 && line <= lines.count ? lines[line - 1] : nil
        }
    }

    /// The batch's Idempotency-Key: the same input cut the same way gives the same keys, so a
    /// resumed write finds what the server has. Rows per batch, position, rows, bytes and a
    /// CRC-32 of the body: a changed input does not pass for the old one.
    public func key(batchRows: Int) -> BatchKey {
        BatchKey(batchRows: batchRows, index: index, rows: rows, bytes: body.readableBytes, checksum: body.crc32())
    }
}

/// `sluice-write:<batch rows>:<index>:<rows>:<bytes>:<crc32>`, the key of one batch.
public struct BatchKey: Hashable, Sendable, CustomStringConvertible {
    public let batchRows: Int
    public let index: Int
    public let rows: Int
    public let bytes: Int
    public let checksum: UInt32

    public var description: String {
        "sluice-write:\(batchRows):\(index):\(rows):\(bytes):" + String(checksum, radix: 16)
    }

    public init(batchRows: Int, index: Int, rows: Int, bytes: Int, checksum: UInt32) {
        self.batchRows = batchRows
        self.index = index
        self.rows = rows
        self.bytes = bytes
        self.checksum = checksum
    }

    /// Reads a key this client made; nil for any other.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "sluice-write", let batchRows = Int(parts[1]), let index = Int(parts[2]),
              let rows = Int(parts[3]), let bytes = Int(parts[4]), let checksum = UInt32(parts[5], radix: 16) else { return nil }
        self.init(batchRows: batchRows, index: index, rows: rows, bytes: bytes, checksum: checksum)
    }
}

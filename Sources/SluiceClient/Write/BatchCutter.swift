import CZlib
import Glibc
import NIOCore

/// Cuts one input into batches at row boundaries, reading it a megabyte at a time, so memory
/// stays at about one batch however large the input is.
///
/// - NDJSON: a row ends at a line break; blank lines travel but do not count.
/// - CSV: a record ends at a line break outside double quotes; every batch starts with the
///   file's header record.
/// - JSON: the file is one array; each batch is a new array of whole elements.
///
/// A UTF-8 byte-order mark at the start is dropped. A batch ends after `batchRows` rows, or at
/// the first row end past `maxBatchBytes`.
public final class BatchCutter {
    public let input: InputFile
    public let batchRows: Int
    public let maxBatchBytes: Int
    /// Bytes read from the input so far.
    public private(set) var bytesRead = 0

    private static let chunk = 1 << 20
    private var nextIndex: Int
    private var buffer: ByteBuffer
    private var prefix: [UInt8] = []     // what starts every body: the CSV header, or "["
    private var scanned = 0              // rows are found up to here
    private var lastRowEnd = 0
    private var rowsInBatch = 0
    private var line = 1                 // the input line at `scanned`
    private var firstLine = 1            // the input line of the batch's first row
    private var headerLines = 0
    private var atEnd = false
    private var started = false
    private var finished = false
    // CSV and JSON scanning state, kept across reads.
    private var inQuotes = false
    private var rowHasContent = false
    private var depth = 0
    private var escaped = false
    private var elementOpen = false
    private var elementLines: [Int] = []

    /// Asked while a pipe is quiet: true stops the cut (Ctrl-C).
    private let stop: () -> Bool

    /// `firstIndex`: the index of this input's first batch (batches are numbered over all inputs).
    public init(input: InputFile, batchRows: Int, maxBatchBytes: Int = 16 << 20, firstIndex: Int,
                stop: @escaping () -> Bool = { Task.isCancelled }) {
        self.input = input
        self.stop = stop
        self.batchRows = max(batchRows, 1)
        self.maxBatchBytes = max(maxBatchBytes, 1)
        nextIndex = firstIndex
        buffer = ByteBufferAllocator().buffer(capacity: 0)
    }

    /// The index the next input's first batch gets, once this one is cut to the end.
    public var followingIndex: Int { nextIndex }

    /// The next batch, or nil at the end of the input.
    public func next() throws -> Batch? {
        guard !finished else { return nil }
        if !started { try begin() }
        while true {
            while let (end, resume, closing) = scanRow() {
                lastRowEnd = end
                if closing || rowsInBatch >= batchRows || end - prefix.count >= maxBatchBytes {
                    if closing { finished = true }
                    if let batch = cut(at: end, resumeAt: resume) { return batch }
                    if finished { return nil }
                }
            }
            if atEnd { return try last() }
            try fill()
        }
    }

    // MARK: reading

    private func fill() throws {
        buffer.reserveCapacity(minimumWritableBytes: Self.chunk)
        let got = try buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: Self.chunk) { raw in
            try input.read(into: raw.baseAddress!, count: raw.count, stop: stop)
        }
        bytesRead += got
        if got == 0 { atEnd = true }
    }

    private func newBuffer(with tail: ByteBufferView?) -> ByteBuffer {
        var fresh = ByteBufferAllocator().buffer(capacity: min(maxBatchBytes, 64 << 20) + 2 * Self.chunk)
        fresh.writeBytes(prefix)
        if let tail { fresh.writeBytes(tail) }
        return fresh
    }

    /// The first read: the byte-order mark, the CSV header, the JSON array's `[`.
    private func begin() throws {
        started = true
        buffer = newBuffer(with: nil)
        while buffer.readableBytes < 3 && !atEnd { try fill() }
        if buffer.readableBytesView.starts(with: [0xEF, 0xBB, 0xBF]) {
            buffer = newBuffer(with: buffer.readableBytesView.dropFirst(3))
        }
        switch input.format {
        case .ndjson:
            break
        case .csv:
            while true {
                if let (end, _, _) = scanRow() {
                    prefix = Array(buffer.readableBytesView.prefix(end))
                    headerLines = line - 1
                    rowsInBatch = 0
                    lastRowEnd = end
                    break
                }
                if atEnd { finished = true; return }  // a header alone (or nothing): no rows
                try fill()
            }
        case .json:
            while true {
                let view = buffer.readableBytesView
                if let open = view.firstIndex(where: { !Self.isSpace($0) }) {
                    guard view[open] == UInt8(ascii: "[") else {
                        throw ClientFailure("\(input.name): line \(line): a JSON upload is an array of objects ([{...}, ...]); for one object per line use --format ndjson")
                    }
                    line += view[..<open].filter { $0 == 0x0A }.count
                    prefix = [UInt8(ascii: "[")]
                    buffer = newBuffer(with: view[(open + 1)...])
                    break
                }
                if atEnd { throw ClientFailure("\(input.name): empty; a JSON upload is an array of objects") }
                line += view.filter { $0 == 0x0A }.count
                buffer = newBuffer(with: nil)
                try fill()
            }
        }
        scanned = prefix.count
        lastRowEnd = prefix.count
        firstLine = line
    }

    // MARK: cutting

    /// A body of `buffer[..<end]` (closed with `]` for JSON); the batch after it starts at `resumeAt`.
    private func cut(at end: Int, resumeAt: Int) -> Batch? {
        let rows = rowsInBatch
        let origin: Batch.Origin = input.format == .json ? .elements(lines: elementLines) : .lines(firstLine: firstLine, headerLines: headerLines)
        // (The tail's view ends with this statement, so the write below does not copy the buffer.)
        var next = newBuffer(with: resumeAt < buffer.writerIndex ? buffer.readableBytesView[resumeAt...] : nil)
        var length = end
        if input.format == .json {
            buffer.setInteger(UInt8(ascii: "]"), at: end)  // over the separator, once the tail is copied
            length = end + 1
        }
        let body = buffer.getSlice(at: 0, length: length)!
        swap(&buffer, &next)
        scanned = prefix.count + (scanned - resumeAt)
        lastRowEnd = prefix.count
        rowsInBatch = 0
        elementLines = []
        firstLine = line
        guard rows > 0 else { return nil }  // only blank lines: nothing to send
        defer { nextIndex += 1 }
        return Batch(index: nextIndex, input: input.name, format: input.format, body: body, rows: rows,
                     inputBytes: end - prefix.count, origin: origin)
    }

    /// At the end of the input: what is left is the last batch (a last line without a line break is a row).
    private func last() throws -> Batch? {
        finished = true
        switch input.format {
        case .json:
            throw ClientFailure("\(input.name): line \(line): the JSON array is not closed (the file ends inside it)")
        case .ndjson, .csv:
            if scanned > lastRowEnd, rowHasContent || buffer.readableBytesView[lastRowEnd...].contains(where: { !Self.isSpace($0) }) {
                rowsInBatch += 1
                if buffer.readableBytesView.last != 0x0A { buffer.writeInteger(UInt8(0x0A)) }
            }
            guard rowsInBatch > 0 else { return nil }
            return cut(at: buffer.writerIndex, resumeAt: buffer.writerIndex)
        }
    }

    // MARK: scanning

    /// Finds the next row end after `scanned`: (end of the row's bytes, where the next row's
    /// bytes start, whether it closed a JSON array). Nil: more bytes are needed.
    private func scanRow() -> (Int, Int, Bool)? {
        let from = scanned
        let upTo = buffer.writerIndex
        guard from < upTo else { return nil }
        return buffer.withUnsafeReadableBytes { bytes -> (Int, Int, Bool)? in
            switch input.format {
            case .ndjson:
                guard let found = memchr(bytes.baseAddress! + from, 0x0A, upTo - from) else {
                    scanned = upTo
                    return nil
                }
                let end = bytes.baseAddress!.distance(to: UnsafeRawPointer(found)) + 1
                let start = lastRowEnd
                if end - start > 1, !Self.isSpace(bytes[start]) || bytes[start..<end].contains(where: { !Self.isSpace($0) }) {
                    rowsInBatch += 1
                }
                line += 1
                scanned = end
                return (end, end, false)
            case .csv:
                for offset in from..<upTo {
                    let byte = bytes[offset]
                    if byte == 0x22 { inQuotes.toggle(); rowHasContent = true; continue }
                    if byte == 0x0A {
                        line += 1
                        if inQuotes { continue }
                        if rowHasContent { rowsInBatch += 1 }
                        rowHasContent = false
                        scanned = offset + 1
                        return (offset + 1, offset + 1, false)
                    }
                    if byte != 0x0D { rowHasContent = true }
                }
                scanned = upTo
                return nil
            case .json:
                for offset in from..<upTo {
                    let byte = bytes[offset]
                    if inQuotes {
                        if escaped { escaped = false } else if byte == 0x5C { escaped = true } else if byte == 0x22 { inQuotes = false }
                        continue
                    }
                    switch byte {
                    case 0x0A: line += 1
                    case 0x20, 0x09, 0x0D: break
                    case _ where depth == 0 && (byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]")):
                        if elementOpen { rowsInBatch += 1 }
                        elementOpen = false
                        scanned = offset + 1
                        return (offset, offset + 1, byte == UInt8(ascii: "]"))
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        openElement()
                        depth += 1
                    case UInt8(ascii: "}"), UInt8(ascii: "]"):
                        depth -= 1
                    case 0x22:
                        openElement()
                        inQuotes = true
                    default:
                        openElement()
                    }
                }
                scanned = upTo
                return nil
            }
        }
    }

    private func openElement() {
        if depth == 0 && !elementOpen {
            elementOpen = true
            elementLines.append(line)
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
}

extension ByteBuffer {
    /// zlib's CRC-32 of the readable bytes.
    func crc32() -> UInt32 {
        withUnsafeReadableBytes { raw in
            UInt32(CZlib.crc32(0, raw.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(raw.count)))
        }
    }
}

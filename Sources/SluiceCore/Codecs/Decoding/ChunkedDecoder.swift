/// What a line-oriented text format supplies to `ChunkedDecoder`: how records are framed and
/// how a batch of records becomes a `RecordBatch`.
protocol RecordFormat {
    /// The record starting at `start`, or nil when more input is needed (never nil at EOF
    /// when `start < bytes.count`).
    func frame(_ bytes: UnsafeRawBufferPointer, from start: Int, atEOF: Bool) -> RecordFrame?
    /// Whether a framed record is blank and skipped.
    func isBlank(_ record: RecordSpan, in bytes: UnsafeRawBufferPointer) -> Bool
    /// True while the format still expects a header record (CSV) before data.
    var needsHeader: Bool { get }
    mutating func readHeader(_ record: RecordSpan, in bytes: UnsafeRawBufferPointer, issues: inout IssueLog)
    /// Decodes one batch of records; nil when it logged an issue.
    mutating func decodeBatch(
        _ records: ArraySlice<RecordSpan>, in bytes: UnsafeRawBufferPointer, issues: inout IssueLog
    ) -> RecordBatch?
}

/// A framed record: content ends at `contentEnd` (line break, and a `\r` before it,
/// excluded), the next record starts at `next`, and `lineBreaks` line breaks were consumed.
struct RecordFrame {
    var contentEnd: Int
    var next: Int
    var lineBreaks: Int
}

/// The streaming machinery behind `NDJSONDecoder` and `CSVDecoder`: accepts input in
/// arbitrary chunks, frames records (a record may span chunks), enforces the maximum record
/// length, groups records into batches of `batchRows` and hands each batch to the format.
///
/// Memory stays bounded by one batch of input plus one chunk. Once an issue is logged no
/// batch is returned again; decoding continues only to collect further issues, and
/// `finish()` (or reaching `maxIssues`) throws the `DecodeError`.
struct ChunkedDecoder<Format: RecordFormat> {
    var format: Format
    let options: DecodeOptions
    private var issues: IssueLog
    /// Input not yet released: the records waiting for their batch and an incomplete record.
    private var buffer: [UInt8] = []
    /// Bytes of `buffer` already framed.
    private var scanned = 0
    private var records: [RecordSpan] = []
    private var nextLine: Int
    /// After an overlong incomplete line: input is dropped up to the next line break.
    private var skippingOverlongLine = false

    init(format: Format, options: DecodeOptions) {
        self.format = format
        self.options = options
        issues = IssueLog(cap: options.maxIssues)
        nextLine = options.firstLine
    }

    mutating func feed(_ chunk: UnsafeRawBufferPointer) throws -> [RecordBatch] {
        buffer.append(contentsOf: chunk)
        return try process(atEOF: false)
    }

    mutating func finish() throws -> [RecordBatch] {
        let batches = try process(atEOF: true)
        if !issues.isEmpty { throw issues.error }
        return batches
    }

    private mutating func process(atEOF: Bool) throws -> [RecordBatch] {
        var batches: [RecordBatch] = []
        let input = buffer
        input.withUnsafeBytes { bytes in
            frameRecords(bytes, atEOF: atEOF)
            while !issues.isFull, records.count >= options.batchRows || (atEOF && !records.isEmpty) {
                let n = min(options.batchRows, records.count)
                if let batch = format.decodeBatch(records[0..<n], in: bytes, issues: &issues) {
                    batches.append(batch)
                }
                records.removeFirst(n)
            }
        }
        if issues.isFull { throw issues.error }
        releaseConsumedInput()
        return issues.isEmpty ? batches : []
    }

    private mutating func frameRecords(_ bytes: UnsafeRawBufferPointer, atEOF: Bool) {
        while scanned < bytes.count {
            if skippingOverlongLine {
                guard let newline = bytes[scanned...].firstIndex(of: UInt8(ascii: "\n")) else {
                    scanned = bytes.count
                    return
                }
                scanned = newline + 1
                nextLine += 1
                skippingOverlongLine = false
                continue
            }
            guard let frame = format.frame(bytes, from: scanned, atEOF: atEOF) else {
                if bytes.count - scanned > options.maxLineLength {
                    reportOverlongLine(nextLine)
                    skippingOverlongLine = true
                    scanned = bytes.count
                }
                return
            }
            let record = RecordSpan(start: scanned, end: frame.contentEnd, line: nextLine)
            nextLine += frame.lineBreaks
            scanned = frame.next
            if record.end - record.start > options.maxLineLength {
                reportOverlongLine(record.line)
            } else if format.isBlank(record, in: bytes) {
                continue
            } else if format.needsHeader {
                format.readHeader(record, in: bytes, issues: &issues)
            } else {
                records.append(record)
            }
        }
    }

    private mutating func reportOverlongLine(_ line: Int) {
        issues.add(DataIssue(
            line: line, column: options.maxLineLength + 1,
            "line is longer than the maximum of \(options.maxLineLength) bytes"))
    }

    /// Drops input before the first waiting record, once that is at least half the buffer
    /// (so the copying stays linear in the input).
    private mutating func releaseConsumedInput() {
        let cut = records.first?.start ?? scanned
        guard cut > 0, cut >= buffer.count / 2 else { return }
        buffer.removeSubrange(0..<cut)
        scanned -= cut
        for i in records.indices {
            records[i].start -= cut
            records[i].end -= cut
        }
    }
}

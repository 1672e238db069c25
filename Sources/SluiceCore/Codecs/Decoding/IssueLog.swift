/// Where one record (an NDJSON line, a CSV record, a whole JSON array) sits in the decoder's
/// buffer: bytes `start..<end` (line break excluded), beginning on 1-based `line`.
struct RecordSpan {
    var start: Int
    var end: Int
    var line: Int
}

/// A problem found at a byte offset of the buffer being decoded; turned into a located
/// `DataIssue` by `IssueLog`.
struct DecodeFailure: Error {
    var offset: Int
    var field: String?
    var message: String

    init(at offset: Int, field: String? = nil, _ message: String) {
        self.offset = offset
        self.field = field
        self.message = message
    }

    /// The same failure inside `parent` (a struct field or a top-level column).
    func inField(_ parent: String) -> DecodeFailure {
        var copy = self
        copy.field = field.map { parent + "." + $0 } ?? parent
        return copy
    }
}

/// The issues of one decode, capped at `DecodeOptions.maxIssues`.
struct IssueLog {
    private(set) var issues: [DataIssue] = []
    private(set) var truncated = false
    let cap: Int

    init(cap: Int) { self.cap = cap }

    var isEmpty: Bool { issues.isEmpty }
    var isFull: Bool { issues.count >= cap }

    mutating func add(_ issue: DataIssue) {
        if isFull { truncated = true } else { issues.append(issue) }
    }

    /// Runs `decode` on each record, logging each one's failure (located) until the log is
    /// full. True when no record failed.
    @inline(__always)
    mutating func decodeEach(
        _ records: ArraySlice<RecordSpan>, of bytes: UnsafeRawBufferPointer, _ decode: (RecordSpan) throws -> Void
    ) -> Bool {
        let before = issues.count
        for record in records {
            do {
                try decode(record)
            } catch let failure as DecodeFailure {
                add(failure, in: record, of: bytes)
                if isFull { break }
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
        }
        return issues.count == before
    }

    /// Records `failure`, located within `record` of `bytes`: the line is the record's first
    /// line plus the line breaks before the offset, the column the 1-based byte offset after
    /// the last of them.
    mutating func add(_ failure: DecodeFailure, in record: RecordSpan, of bytes: UnsafeRawBufferPointer) {
        var line = record.line
        var lineStart = record.start
        let stop = min(max(failure.offset, record.start), bytes.count)
        var i = record.start
        while i < stop {
            if bytes[i] == UInt8(ascii: "\n") { line += 1; lineStart = i + 1 }
            i += 1
        }
        add(DataIssue(line: line, column: stop - lineStart + 1, field: failure.field, failure.message))
    }

    var error: DecodeError { DecodeError(issues, truncated: truncated) }
}

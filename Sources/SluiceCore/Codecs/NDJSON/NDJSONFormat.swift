#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// NDJSON for `ChunkedDecoder`: records are lines (or, in array layout, the whole input);
/// a batch is decoded against the schema, or against one inferred from the batch first.
struct NDJSONFormat: RecordFormat {
    let schema: Schema?
    let layout: JSONRowLayout
    /// Reused across batches when the schema is fixed; replaced after a failure.
    private var fixedDecoder: JSONBatchDecoder?
    private let scratch = ByteScratch()

    init(schema: Schema?, layout: JSONRowLayout) {
        self.schema = schema
        self.layout = layout
        fixedDecoder = schema.map { JSONBatchDecoder(schema: $0, layout: layout, capacity: 0) }
    }

    func frame(_ bytes: UnsafeRawBufferPointer, from start: Int, atEOF: Bool) -> RecordFrame? {
        let count = bytes.count
        if layout == .arrayOfObjects {
            return atEOF ? RecordFrame(contentEnd: count, next: count, lineBreaks: 0) : nil
        }
        let base = bytes.baseAddress!
        if let hit = memchr(base + start, 0x0A, count - start) {
            let newline = base.distance(to: UnsafeRawPointer(hit))
            let contentEnd = newline > start && bytes[newline - 1] == 0x0D ? newline - 1 : newline
            return RecordFrame(contentEnd: contentEnd, next: newline + 1, lineBreaks: 1)
        }
        guard atEOF else { return nil }
        let contentEnd = count > start && bytes[count - 1] == 0x0D ? count - 1 : count
        return RecordFrame(contentEnd: contentEnd, next: count, lineBreaks: 0)
    }

    /// Empty lines and lines of only spaces and tabs are skipped.
    func isBlank(_ record: RecordSpan, in bytes: UnsafeRawBufferPointer) -> Bool {
        for i in record.start..<record.end where bytes[i] != 0x20 && bytes[i] != 0x09 { return false }
        return true
    }

    var needsHeader: Bool { false }

    func readHeader(_ record: RecordSpan, in bytes: UnsafeRawBufferPointer, issues: inout IssueLog) {}

    mutating func decodeBatch(
        _ records: ArraySlice<RecordSpan>, in bytes: UnsafeRawBufferPointer, issues: inout IssueLog
    ) -> RecordBatch? {
        let issuesBefore = issues.issues.count
        let decoder: JSONBatchDecoder
        if let fixedDecoder {
            decoder = fixedDecoder
        } else {
            guard let inferred = inferSchema(records, in: bytes, issues: &issues) else { return nil }
            decoder = JSONBatchDecoder(schema: inferred, layout: layout, capacity: records.count)
        }
        for record in records {
            do {
                try decoder.decode(record, of: bytes)
            } catch let failure as DecodeFailure {
                issues.add(failure, in: record, of: bytes)
                if issues.isFull { break }
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
        }
        guard issues.issues.count == issuesBefore, issues.isEmpty else {
            if let schema { fixedDecoder = JSONBatchDecoder(schema: schema, layout: layout, capacity: 0) }
            return nil
        }
        return decoder.build()
    }

    /// The schema of `records` (see `InferredJSONType`), or nil after logging issues.
    private func inferSchema(
        _ records: ArraySlice<RecordSpan>, in bytes: UnsafeRawBufferPointer, issues: inout IssueLog
    ) -> Schema? {
        let issuesBefore = issues.issues.count
        let inferred = InferredJSONType()
        for record in records {
            do {
                try layout.forEachObject(in: record, of: bytes) { c in
                    try inferred.mergeObject(&c, scratch, depth: 1)
                }
            } catch let failure as DecodeFailure {
                issues.add(failure, in: record, of: bytes)
                if issues.isFull { break }
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
        }
        return issues.issues.count == issuesBefore ? Schema(inferred.schemaFields) : nil
    }
}

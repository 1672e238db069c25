#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// NDJSON for `ChunkedDecoder`: records are lines (or, in array layout, the whole input);
/// a batch is decoded against the schema, or against one inferred from the batch (in one
/// pass when the first rows' types hold for the rest, see `decodeWithSampledTypes`).
struct NDJSONFormat: RecordFormat {
    let schema: Schema?
    let layout: JSONRowLayout
    private let scratch = ByteScratch()

    init(schema: Schema?, layout: JSONRowLayout) {
        self.schema = schema
        self.layout = layout
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

    func decodeBatch(
        _ records: ArraySlice<RecordSpan>, in bytes: UnsafeRawBufferPointer, issues: inout IssueLog
    ) -> RecordBatch? {
        if let schema {
            // A decoder per batch, its builders sized for the batch up front.
            return decode(records, in: bytes, with: JSONBatchDecoder(schema: schema, layout: layout, capacity: records.count), issues: &issues)
        }
        if let batch = decodeWithSampledTypes(records, in: bytes) { return batch }
        guard let inferred = inferSchema(records, in: bytes, issues: &issues) else { return nil }
        return decode(records, in: bytes, with: JSONBatchDecoder(schema: inferred, layout: layout, capacity: records.count), issues: &issues)
    }

    /// Decodes every record, logging failures; nil after any.
    private func decode(
        _ records: ArraySlice<RecordSpan>, in bytes: UnsafeRawBufferPointer, with decoder: JSONBatchDecoder, issues: inout IssueLog
    ) -> RecordBatch? {
        let clean = issues.decodeEach(records, of: bytes) { try decoder.decode($0, of: bytes) }
        guard clean, issues.isEmpty else { return nil }
        return decoder.build()
    }

    /// Rows whose types are inferred before the batch is decoded in one pass.
    static let sampleRows = 256

    /// The one-pass fast path of inference: infers types from the first `sampleRows`
    /// records only, then decodes the whole batch against them. Nil as soon as any record
    /// does not fit (a new key, a value needing a wider type such as a float in an Int64
    /// column or a value in a Null column, or any error), and the caller infers over all
    /// records and decodes again, which also locates the issues.
    ///
    /// A success gives exactly what inferring over all records would: every later value was
    /// accepted by its sampled type, and each type accepts only values that leave it
    /// unchanged when merged (Int64 integers, Float64 integers and floats, Null only null,
    /// structs only their known keys), so merging them would not change the schema.
    private func decodeWithSampledTypes(_ records: ArraySlice<RecordSpan>, in bytes: UnsafeRawBufferPointer) -> RecordBatch? {
        let inferred = InferredJSONType()
        do {
            for record in records.prefix(Self.sampleRows) {
                try layout.forEachObject(in: record, of: bytes) { c in try inferred.mergeObject(&c, scratch, depth: 1) }
            }
            let decoder = JSONBatchDecoder(schema: Schema(inferred.schemaFields), layout: layout, capacity: records.count)
            for record in records { try decoder.decode(record, of: bytes) }
            return decoder.build()
        } catch {
            return nil
        }
    }

    /// The schema of `records` (see `InferredJSONType`), or nil after logging issues.
    private func inferSchema(
        _ records: ArraySlice<RecordSpan>, in bytes: UnsafeRawBufferPointer, issues: inout IssueLog
    ) -> Schema? {
        let inferred = InferredJSONType()
        let clean = issues.decodeEach(records, of: bytes) { record in
            try layout.forEachObject(in: record, of: bytes) { c in try inferred.mergeObject(&c, scratch, depth: 1) }
        }
        return clean ? Schema(inferred.schemaFields) : nil
    }
}

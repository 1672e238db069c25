/// NDJSON bytes → `RecordBatch`es, streaming: feed chunks split anywhere (a line may span
/// chunks), get complete batches back.
///
/// With a schema, values are validated and coerced losslessly (see `JSONValueDecoder`):
/// unknown keys, missing non-nullable fields, wrong types and out-of-range numbers are
/// issues. Without one, each batch's types are inferred from its rows first (see
/// `InferredJSONType`). Blank lines are skipped; `\r\n` is accepted. Every issue is a
/// `DataIssue` with the 1-based line and byte column; issues are collected up to
/// `maxIssues`, after the first no batch is returned again, and `finish()` (or reaching
/// the cap) throws `DecodeError`, so a partial result is never mistaken for the whole.
public struct NDJSONDecoder {
    public typealias Options = DecodeOptions

    private var core: ChunkedDecoder<NDJSONFormat>

    /// `schema` nil infers the types of each batch.
    public init(schema: Schema?, options: Options = .init()) {
        core = ChunkedDecoder(format: NDJSONFormat(schema: schema, layout: .objectPerLine), options: options)
    }

    private init(schema: Schema?, layout: JSONRowLayout, options: Options) {
        core = ChunkedDecoder(format: NDJSONFormat(schema: schema, layout: layout), options: options)
    }

    /// Decodes what `chunk` completes; returns the batches that became full.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer) throws -> [RecordBatch] {
        try core.feed(chunk)
    }

    /// Decodes the rest (a last line may lack its line break); throws if any issue was seen.
    public mutating func finish() throws -> [RecordBatch] {
        try core.finish()
    }

    /// Decodes a whole input into one batch: NDJSON, or a JSON array of objects
    /// (`[{...},{...}]`, recognised by its leading `[`). Without a schema the types are
    /// inferred over all rows.
    public static func decode(_ bytes: [UInt8], schema: Schema?, options: Options = .init()) throws -> RecordBatch {
        let firstByte = bytes.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
        var whole = options
        if schema == nil { whole.batchRows = Int.max }
        var decoder: NDJSONDecoder
        if firstByte == UInt8(ascii: "[") {
            whole.maxLineLength = Int.max
            decoder = NDJSONDecoder(schema: schema, layout: .arrayOfObjects, options: whole)
        } else {
            decoder = NDJSONDecoder(schema: schema, layout: .objectPerLine, options: whole)
        }
        var batches = try bytes.withUnsafeBytes { try decoder.feed($0) }
        batches += try decoder.finish()
        return try RecordBatch.concatenateOrEmpty(batches, schema: schema)
    }
}

extension RecordBatch {
    /// The batches as one, or an empty batch of `schema` (no columns when nil) when none.
    static func concatenateOrEmpty(_ batches: [RecordBatch], schema: Schema?) throws -> RecordBatch {
        guard !batches.isEmpty else { return RecordBatch.empty(schema ?? .empty) }
        return try RecordBatch.concatenate(batches)
    }
}

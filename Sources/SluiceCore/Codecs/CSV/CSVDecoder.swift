/// CSV (RFC 4180) bytes → `RecordBatch`es, streaming like `NDJSONDecoder`: a header row is
/// required; records may span chunks and lines (quoted line breaks); `\r\n` or `\n`; blank
/// lines are skipped. Typed by the schema, or inferred per batch (see `CSVFormat`). Issues
/// carry line and byte column; after the first no batch is returned, and `finish()` throws.
public struct CSVDecoder {
    public typealias Options = DecodeOptions

    private var core: ChunkedDecoder<CSVFormat>

    /// `schema` nil takes the fields from the header and infers their types per batch.
    public init(schema: Schema?, options: Options = .init()) {
        core = ChunkedDecoder(format: CSVFormat(schema: schema), options: options)
    }

    public mutating func feed(_ chunk: UnsafeRawBufferPointer) throws -> [RecordBatch] {
        try core.feed(chunk)
    }

    public mutating func finish() throws -> [RecordBatch] {
        try core.finish()
    }

    /// Decodes a whole input into one batch (types inferred over all rows without a schema).
    public static func decode(_ bytes: [UInt8], schema: Schema?, options: Options = .init()) throws -> RecordBatch {
        var whole = options
        if schema == nil { whole.batchRows = Int.max }
        var decoder = CSVDecoder(schema: schema, options: whole)
        var batches = try bytes.withUnsafeBytes { try decoder.feed($0) }
        batches += try decoder.finish()
        return try RecordBatch.concatenateOrEmpty(batches, schema: schema)
    }
}

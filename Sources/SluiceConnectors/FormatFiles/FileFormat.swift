import SluiceCore

/// The row formats of the file connectors, bound to SluiceCore's codecs.
public enum FileFormat: String, Sendable, Hashable, CaseIterable {
    /// One JSON object per line (`.ndjson`).
    case ndjson
    /// RFC 4180 CSV with a header row (`.csv`).
    case csv

    public var fileExtension: String { rawValue }

    var displayName: String { self == .ndjson ? "NDJSON" : "CSV" }

    /// Whether a file may be split into line-aligned byte ranges. Not CSV: a quoted field may
    /// hold a newline, so a line start is not necessarily a record start.
    var splitsByLine: Bool { self == .ndjson }

    /// Decodes `bytes` whole, inferring the types when `schema` is nil.
    func decode(_ bytes: [UInt8], schema: Schema?) throws -> RecordBatch {
        switch self {
        case .ndjson: return try NDJSONDecoder.decode(bytes, schema: schema)
        case .csv: return try CSVDecoder.decode(bytes, schema: schema)
        }
    }
}

/// A codec encoder writing one output file of rows of one schema. Code that writes files is
/// generic over it, so the row path has no existential or enum dispatch.
protocol RowFileEncoder {
    init(fileSchema: Schema)
    mutating func encode(_ batch: RecordBatch, into output: inout [UInt8]) throws
}

/// A codec decoder reading one input file (or split) against a known schema, chunk by chunk.
protocol RowFileDecoder {
    init(fileSchema: Schema)
    mutating func feed(_ chunk: UnsafeRawBufferPointer) throws -> [RecordBatch]
    mutating func finish() throws -> [RecordBatch]
}

extension NDJSONEncoder: RowFileEncoder {
    init(fileSchema: Schema) { self.init(schema: fileSchema) }
}

extension CSVEncoder: RowFileEncoder {
    /// Every file starts with its header row.
    init(fileSchema: Schema) { self.init(schema: fileSchema, header: true) }
}

extension NDJSONDecoder: RowFileDecoder {
    init(fileSchema: Schema) { self.init(schema: fileSchema, options: .init()) }
}

extension CSVDecoder: RowFileDecoder {
    init(fileSchema: Schema) { self.init(schema: fileSchema, options: .init()) }
}

import SluiceCore

/// How rows travel over HTTP: NDJSON (the default) or CSV with a header row.
public enum RowFormat: String, Sendable {
    case ndjson
    case csv

    public var contentType: String {
        switch self {
        case .ndjson: return "application/x-ndjson"
        case .csv: return "text/csv; charset=utf-8"
        }
    }

    /// A byte encoder for batches of `schema` (the CSV header is written separately).
    func makeEncoder(schema: Schema) -> RowEncoder {
        switch self {
        case .ndjson: return RowEncoder(ndjson: NDJSONEncoder(schema: schema))
        case .csv: return RowEncoder(csv: CSVEncoder(schema: schema, header: false))
        }
    }

    /// What goes before the first row.
    func preamble(schema: Schema) -> [UInt8] {
        guard self == .csv else { return [] }
        var out: [UInt8] = []
        var header = CSVEncoder(schema: schema, header: true)
        header.encode(.empty(schema), into: &out)
        return out
    }
}

/// One of the row encoders behind a common call.
struct RowEncoder: @unchecked Sendable {
    // `@unchecked Sendable` guard: each stream owns its encoder and uses it from its one task.
    private var ndjson: NDJSONEncoder?
    private var csv: CSVEncoder?

    init(ndjson: NDJSONEncoder) { self.ndjson = ndjson }
    init(csv: CSVEncoder) { self.csv = csv }

    mutating func encode(_ batch: RecordBatch, into out: inout [UInt8]) {
        if let ndjson { ndjson.encode(batch, into: &out) } else { csv!.encode(batch, into: &out) }
    }
}

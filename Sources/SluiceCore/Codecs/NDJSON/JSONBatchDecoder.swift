/// Decodes JSON rows against one schema into column builders and builds the batch.
final class JSONBatchDecoder {
    let schema: Schema
    let layout: JSONRowLayout
    private let builders: [ColumnBuilder]
    private let row: JSONObjectDecoder
    private let scratch = ByteScratch()
    @exclusivity(unchecked) private(set) var rowCount = 0

    init(schema: Schema, layout: JSONRowLayout, capacity: Int) {
        self.schema = schema
        self.layout = layout
        builders = schema.map { ColumnBuilder($0.type, capacity: capacity) }
        row = JSONObjectDecoder(fields: schema.fields, builders: builders)
    }

    /// Decodes every object of `record`. After a failure the builders are inconsistent and
    /// this decoder must be discarded.
    func decode(_ record: RecordSpan, of bytes: UnsafeRawBufferPointer) throws {
        try layout.forEachObject(in: record, of: bytes) { c in
            try row.decode(&c, scratch, depth: 1)
            rowCount += 1
        }
    }

    /// The rows decoded so far; the builders start over.
    func build() -> RecordBatch {
        let batch = RecordBatch(unchecked: schema, columns: builders.map { $0.build() }, rowCount: rowCount)
        rowCount = 0
        return batch
    }
}

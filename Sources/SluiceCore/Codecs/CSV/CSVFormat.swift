/// CSV for `ChunkedDecoder`: the first record is the header (after a UTF-8 byte-order mark, if any), whose names map columns to
/// schema fields (any order; a column the schema lacks, or a non-nullable schema field the
/// header lacks, is an issue; a nullable field the header lacks is null in every row, as a
/// key absent from an NDJSON object). Without a schema the header gives the fields and each batch's types are
/// inferred (`CSVColumnInference`).
///
/// Cells: an empty unquoted cell is null; a quoted empty cell (`""`) is the empty string for
/// String and Binary, null otherwise. Scalars are read by `TextCellDecoder`; List and
/// Struct cells hold JSON text, read by `JSONValueDecoder`.
struct CSVFormat: RecordFormat {
    let schema: Schema?
    private var header: [String]?
    /// For each CSV column, the schema field it fills (nil: not in the schema).
    private var fieldOfColumn: [Int?] = []
    /// The nullable schema fields the header lacks: null in every row.
    private var absentFields: [Int] = []
    private let splitter = CSVRecordSplitter()
    private let binaryScratch = ByteScratch()
    private let jsonScratch = ByteScratch()

    init(schema: Schema?) { self.schema = schema }

    func frame(_ bytes: UnsafeRawBufferPointer, from start: Int, atEOF: Bool) -> RecordFrame? {
        CSVRecordSplitter.frame(bytes, from: start, atEOF: atEOF)
    }

    /// Empty lines are skipped, except with a single column, where one is a null cell.
    func isBlank(_ record: RecordSpan, in bytes: UnsafeRawBufferPointer) -> Bool {
        record.start == record.end && header?.count != 1
    }

    var needsHeader: Bool { header == nil }

    mutating func readHeader(_ record: RecordSpan, in bytes: UnsafeRawBufferPointer, issues: inout IssueLog) {
        // A UTF-8 byte-order mark (Excel's "CSV UTF-8" exports start with one) is not part of
        // the first column's name.
        var record = record
        if record.end - record.start >= 3, bytes[record.start] == 0xEF, bytes[record.start + 1] == 0xBB, bytes[record.start + 2] == 0xBF {
            record.start += 3
        }
        do { try splitter.split(record, of: bytes) } catch let failure as DecodeFailure {
            issues.add(failure, in: record, of: bytes)
            header = []
            return
        } catch { preconditionFailure("unexpected error \(error)") }
        var names: [String] = []
        for cell in splitter.cells {
            let name = String(decoding: splitter.text(cell), as: UTF8.self)
            if names.contains(name) {
                issues.add(DecodeFailure(at: cell.sourceOffset, field: name, "duplicate column '\(name)' in the header"), in: record, of: bytes)
            }
            names.append(name)
            let field = schema.map { $0.index(of: name) } ?? names.count - 1
            if field == nil {
                issues.add(DecodeFailure(at: cell.sourceOffset, field: name, "unknown column '\(name)' (not in the schema)"), in: record, of: bytes)
            }
            fieldOfColumn.append(field)
        }
        for (index, field) in (schema ?? Schema.empty).enumerated() where !names.contains(field.name) {
            if field.nullable {
                absentFields.append(index)
            } else {
                issues.add(DecodeFailure(at: record.start, field: field.name, "missing column '\(field.name)' in the header"),
                           in: record, of: bytes)
            }
        }
        header = names
    }

    mutating func decodeBatch(
        _ records: ArraySlice<RecordSpan>, in bytes: UnsafeRawBufferPointer, issues: inout IssueLog
    ) -> RecordBatch? {
        let names = header ?? []
        let batchSchema = schema ?? inferSchema(records, in: bytes, names: names)
        let builders = batchSchema.map { ColumnBuilder($0.type, capacity: records.count) }
        let jsonCells = batchSchema.fields.indices.map { i -> JSONValueDecoder? in
            let field = batchSchema[i]
            switch field.type {
            case .list, .structure: return JSONValueDecoder(type: field.type, nullable: field.nullable, builder: builders[i])
            default: return nil
            }
        }
        let clean = issues.decodeEach(records, of: bytes) { record in
            try splitter.split(record, of: bytes)
            guard splitter.cells.count == names.count else {
                throw DecodeFailure(at: record.start, "expected \(names.count) fields, found \(splitter.cells.count)")
            }
            for (column, cell) in splitter.cells.enumerated() {
                guard let f = fieldOfColumn[column] else { continue }
                do {
                    try decodeCell(cell, field: batchSchema[f], builder: builders[f], json: jsonCells[f])
                } catch let failure as DecodeFailure {
                    throw failure.inField(batchSchema[f].name)
                }
            }
            for f in absentFields { builders[f].appendNull() }
        }
        guard clean, issues.isEmpty else { return nil }
        return RecordBatch(unchecked: batchSchema, columns: builders.map { $0.build() }, rowCount: records.count)
    }

    private func decodeCell(_ cell: CSVCell, field: Field, builder: ColumnBuilder, json: JSONValueDecoder?) throws {
        let text = splitter.text(cell)
        let emptyIsValue = cell.quoted && (field.type == .string || field.type == .binary)
        if text.isEmpty && !emptyIsValue {
            guard field.nullable else { throw DecodeFailure(at: cell.sourceOffset, "empty value in a non-nullable field") }
            builder.appendNull()
            return
        }
        if let json {
            var c = JSONCursor(text, from: 0, to: text.count)
            do {
                try json.decode(&c, jsonScratch, depth: 1)
                c.skipWhitespace()
                guard c.atEnd else { throw c.failure("expected the end of the JSON value") }
            } catch let failure as DecodeFailure {
                throw DecodeFailure(at: cell.sourceOffset, field: failure.field, "\(failure.message) (at byte \(failure.offset + 1) of the cell)")
            }
            return
        }
        if let message = TextCellDecoder.append(text, as: field.type, to: builder, binaryScratch: binaryScratch) {
            throw DecodeFailure(at: cell.sourceOffset, message)
        }
    }

    private func inferSchema(_ records: ArraySlice<RecordSpan>, in bytes: UnsafeRawBufferPointer, names: [String]) -> Schema {
        var columns = Array(repeating: CSVColumnInference(), count: names.count)
        for record in records {
            guard (try? splitter.split(record, of: bytes)) != nil, splitter.cells.count == names.count else { continue }
            for (i, cell) in splitter.cells.enumerated() where cell.textEnd > cell.textStart {
                columns[i].add(splitter.text(cell))
            }
        }
        return Schema(zip(names, columns).map { Field($0, $1.type, nullable: true) })
    }
}

import PostgresNIO
import SluiceCore

/// Encodes batches as the text format of `COPY ... FROM STDIN`, byte by byte: a row per
/// line, tab between columns, `\N` for NULL, and backslash escapes for `\`, tab, newline and
/// carriage return inside values. Values: integers and floats as digits (non-finite floats
/// as `NaN`/`Infinity`), Bool `t`/`f`, dates and timestamps ISO 8601 (`Z` for zoned ones),
/// Binary as bytea hex (`\\x...`), lists as array literals (`{"a","b"}`), structs and
/// nested lists as JSON. The per-column choice is made once per batch.
struct PostgresCopyEncoder {
    let columns: [String]

    /// Appends every row of `batch` (columns found by name; absent ones are NULL).
    func encode(_ batch: RecordBatch, into out: inout [UInt8]) {
        let writers = columns.map { name in batch.column(named: name).map(CopyCellWriter.init) }
        var scratch: [UInt8] = []
        for row in 0..<batch.rowCount {
            for (i, writer) in writers.enumerated() {
                if i > 0 { out.append(0x09) }
                if let writer { writer.write(row, into: &out, scratch: &scratch) } else { out.append(contentsOf: Self.null) }
            }
            out.append(0x0A)
        }
    }

    static let null: [UInt8] = [0x5C, 0x4E]

    /// Appends `bytes` with COPY's backslash escapes.
    static func appendEscaped<C: Collection>(_ bytes: C, to out: inout [UInt8]) where C.Element == UInt8 {
        for byte in bytes {
            switch byte {
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
            case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
            case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
            default: out.append(byte)
            }
        }
    }
}

/// Writes one column's cells in COPY text form.
struct CopyCellWriter {
    let column: Column
    private let json: JSONCellWriter?

    init(_ column: Column) {
        self.column = column
        switch column.type {
        case .structure: json = JSONCellWriter(column)
        case let .list(inner) where PostgresTypeMapping.columnType(for: column.type) == "jsonb" || inner == .null:
            json = JSONCellWriter(column)
        default: json = nil
        }
    }

    func write(_ row: Int, into out: inout [UInt8], scratch: inout [UInt8]) {
        if column.isNull(row) { out.append(contentsOf: PostgresCopyEncoder.null); return }
        if let json {
            scratch.removeAll(keepingCapacity: true)
            json.append(row: row, to: &scratch)
            PostgresCopyEncoder.appendEscaped(scratch, to: &out)
            return
        }
        if case let .list(offsets, child) = column.storage {
            scratch.removeAll(keepingCapacity: true)
            Self.appendArray(child, offsets[row]..<offsets[row + 1], to: &scratch)
            PostgresCopyEncoder.appendEscaped(scratch, to: &out)
            return
        }
        Self.appendScalar(column, row, to: &out, escaped: true)
    }

    /// `{e1,e2}` with every non-NULL element quoted (`"` and `\` escaped).
    private static func appendArray(_ child: Column, _ range: Range<Int>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        var element: [UInt8] = []
        for i in range {
            if i > range.lowerBound { out.append(UInt8(ascii: ",")) }
            if child.isNull(i) { out.append(contentsOf: Array("NULL".utf8)); continue }
            element.removeAll(keepingCapacity: true)
            appendScalar(child, i, to: &element, escaped: false)
            out.append(UInt8(ascii: "\""))
            for byte in element {
                if byte == UInt8(ascii: "\"") || byte == 0x5C { out.append(0x5C) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A scalar's text; `escaped` applies COPY escapes to strings (other forms need none).
    private static func appendScalar(_ column: Column, _ row: Int, to out: inout [UInt8], escaped: Bool) {
        switch column.storage {
        case .null: out.append(contentsOf: PostgresCopyEncoder.null)
        case let .bool(v): out.append(v[row] ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case let .int(v):
            switch column.type {
            case .date: CellText.appendDate(v[row], to: &out)
            case let .timestamp(unit, zone): CellText.appendTimestamp(v[row], unit: unit, utc: zone != nil, to: &out)
            default: CellText.appendInt(v[row], to: &out)
            }
        case let .uint(v): CellText.appendUInt(v[row], to: &out)
        case let .float(v): CellText.appendFloat(v[row], float32: column.type == .float32, to: &out)
        case let .bytes(b):
            let value = b[row]
            if column.type == .binary {
                out.append(contentsOf: escaped ? [0x5C, 0x5C, UInt8(ascii: "x")] : [0x5C, UInt8(ascii: "x")])
                for byte in value {
                    out.append(hexDigits[Int(byte >> 4)])
                    out.append(hexDigits[Int(byte & 0x0F)])
                }
            } else if escaped {
                PostgresCopyEncoder.appendEscaped(value, to: &out)
            } else {
                out.append(contentsOf: value)
            }
        case .list, .structure: break // handled by the caller
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

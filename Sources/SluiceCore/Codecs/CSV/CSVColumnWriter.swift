/// Writes one column's cells as CSV text, quoting only when needed. Built per batch and
/// column; List and Struct cells go through `JSONBatchWriter`.
///
/// Forms: null is an empty cell; the empty string `""`; integers exact; floats shortest
/// round-trip, non-finite as `NaN`, `inf`, `-inf`; Bool `true`/`false`; Binary base64; Date
/// and Timestamp ISO 8601; List and Struct their JSON text. A cell holding `,`, `"`, `\r`
/// or `\n` is quoted, with `"` doubled.
struct CSVColumnWriter {
    let write: (_ r: Int, _ out: inout [UInt8]) -> Void

    init(_ column: Column) {
        let values = Self.valueWriter(column)
        if let validity = column.validity {
            write = { r, out in if validity[r] { values(r, &out) } }
        } else {
            write = values
        }
    }

    private static func valueWriter(_ column: Column) -> (Int, inout [UInt8]) -> Void {
        switch (column.type, column.storage) {
        case (_, .null):
            return { _, _ in }
        case let (_, .bool(v)):
            return { r, out in out.append(contentsOf: v[r] ? "true".utf8 : "false".utf8) }
        case let (.date, .int(v)):
            return { r, out in out.appendWriting(maxBytes: ISO8601.maxDateLength) { ISO8601.writeDate(v[r], to: $0) } }
        case let (.timestamp(unit, zone), .int(v)):
            let style = ISO8601.ZoneStyle(timezone: zone)
            return { r, out in
                out.appendWriting(maxBytes: ISO8601.maxTimestampLength) { ISO8601.writeTimestamp(v[r], unit: unit, zone: style, to: $0) }
            }
        case let (_, .int(v)):
            return { r, out in out.appendWriting(maxBytes: DecimalText.maxLength) { DecimalText.write(v[r], to: $0) } }
        case let (_, .uint(v)):
            return { r, out in out.appendWriting(maxBytes: DecimalText.maxLength) { DecimalText.write(v[r], to: $0) } }
        case let (type, .float(v)):
            let float32 = type == .float32
            return { r, out in
                let x = v[r]
                if x.isFinite {
                    out.appendWriting(maxBytes: FloatText.maxLength) { FloatText.write(x, float32: float32, to: $0) }
                } else {
                    out.append(contentsOf: x.isNaN ? "NaN".utf8 : x < 0 ? "-inf".utf8 : "inf".utf8)
                }
            }
        case let (.binary, .bytes(b)):
            return { r, out in
                b.bytes.withUnsafeBytes { all in
                    let value = UnsafeRawBufferPointer(rebasing: all[b.range(at: r)])
                    if value.isEmpty { out.append(contentsOf: "\"\"".utf8); return }
                    out.appendWriting(maxBytes: Base64.encodedLength(value.count)) { Base64.write(value, to: $0) }
                }
            }
        case let (_, .bytes(b)):
            return { r, out in b.bytes.withUnsafeBytes { appendCell(UnsafeRawBufferPointer(rebasing: $0[b.range(at: r)]), to: &out) } }
        case (.list, _), (.structure, _):
            let json = JSONBatchWriter(plan: JSONWritePlan(fields: [Field("", column.type)]), columns: [column])
            var text: [UInt8] = []
            return { r, out in
                text.removeAll(keepingCapacity: true)
                json.withColumnPointers {
                    text.appendWriting(maxBytes: json.fieldBound(0, r..<r + 1)) { json.writeField(0, row: r, to: $0) }
                }
                text.withUnsafeBytes { appendCell($0, to: &out) }
            }
        default:
            preconditionFailure("storage \(column.storage.physical) does not fit \(column.type)")
        }
    }

    /// Appends text as a cell: as is, or quoted when it holds `,` `"` CR or LF, or is empty.
    static func appendCell(_ text: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        let needsQuotes = text.isEmpty || text.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
        guard needsQuotes else { out.append(contentsOf: text); return }
        out.append(UInt8(ascii: "\""))
        for b in text {
            if b == UInt8(ascii: "\"") { out.append(b) }
            out.append(b)
        }
        out.append(UInt8(ascii: "\""))
    }
}

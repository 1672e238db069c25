/// The text forms of single cells, for connectors that store values as text (database
/// columns holding ISO dates or JSON documents). The same forms the NDJSON codec writes and
/// reads (`ISO8601`, `JSONColumnWriter`), appended to a byte buffer without `String`s.
public enum CellText {
    /// Appends `YYYY-MM-DD` for days since 1970-01-01.
    public static func appendDate(_ days: Int64, to out: inout [UInt8]) {
        out.appendWriting(maxBytes: ISO8601.maxDateLength) { ISO8601.writeDate(days, to: $0) }
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS[.fraction]` for ticks of `unit`, with `Z` when
    /// `utc` is true (an instant) and no zone otherwise (a naive timestamp).
    public static func appendTimestamp(_ ticks: Int64, unit: DataType.TimeUnit, utc: Bool, to out: inout [UInt8]) {
        out.appendWriting(maxBytes: ISO8601.maxTimestampLength) {
            ISO8601.writeTimestamp(ticks, unit: unit, zone: utc ? .utc : .naive, to: $0)
        }
    }

    /// Appends the decimal digits of `value`.
    public static func appendInt(_ value: Int64, to out: inout [UInt8]) {
        out.appendWriting(maxBytes: DecimalText.maxLength) { DecimalText.write(value, to: $0) }
    }

    /// Appends the decimal digits of `value`.
    public static func appendUInt(_ value: UInt64, to out: inout [UInt8]) {
        out.appendWriting(maxBytes: DecimalText.maxLength) { DecimalText.write(value, to: $0) }
    }

    /// Appends the shortest text that reads back as `value` (as a Float when `float32`);
    /// non-finite values as `NaN`, `Infinity`, `-Infinity` (SQL's spellings).
    public static func appendFloat(_ value: Double, float32: Bool, to out: inout [UInt8]) {
        guard value.isFinite else {
            out.append(contentsOf: value.isNaN ? Array("NaN".utf8) : value < 0 ? Array("-Infinity".utf8) : Array("Infinity".utf8))
            return
        }
        out.appendWriting(maxBytes: FloatText.maxLength) { FloatText.write(value, float32: float32, to: $0) }
    }

    /// Days for `YYYY-MM-DD`, or nil.
    public static func parseDate(_ text: UnsafeRawBufferPointer) -> Int64? { ISO8601.parseDate(text) }

    /// Ticks of `unit` for an ISO 8601 timestamp (offsets applied, none meaning UTC), or nil.
    public static func parseTimestamp(_ text: UnsafeRawBufferPointer, unit: DataType.TimeUnit) -> Int64? {
        ISO8601.parseTimestamp(text, unit: unit)
    }
}

/// Writes the cells of one column as JSON values (the NDJSON forms: lists as arrays, structs
/// as objects, dates as ISO strings), one cell at a time. Built once per column and batch.
public struct JSONCellWriter {
    private let writer: JSONBatchWriter

    public init(_ column: Column) {
        writer = JSONBatchWriter(plan: JSONWritePlan(fields: [Field("value", column.type)]), columns: [column])
    }

    /// Appends the JSON text of row `row`.
    public func append(row: Int, to out: inout [UInt8]) {
        writer.withColumnPointers {
            out.appendWriting(maxBytes: writer.fieldBound(0, row..<(row + 1))) { writer.writeField(0, row: row, to: $0) }
        }
    }
}

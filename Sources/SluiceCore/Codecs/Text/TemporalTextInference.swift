/// Which temporal type a column of text holds, when every value says the same: `Date` when
/// all are `YYYY-MM-DD`, `Timestamp[us; UTC]` when all are ISO 8601 timestamps with a zone
/// (`Z` or an offset), `Timestamp[us]` when all are without one. Nil (keep `String`) for
/// anything else: a value that is not ISO 8601, dates mixed with timestamps, zones mixed with
/// none, or no value at all. File sources apply it to the sample they infer a schema from.
public enum TemporalTextInference {
    public static func type(of column: Column) -> DataType? {
        guard column.type == .string, case let .bytes(values) = column.storage else { return nil }
        var dates = 0, zoned = 0, local = 0
        values.bytes.withUnsafeBytes { all in
            for row in 0..<column.count where !column.isNull(row) {
                let text = UnsafeRawBufferPointer(rebasing: all[values.range(at: row)])
                if ISO8601.parseDate(text) != nil {
                    dates += 1
                } else if ISO8601.parseTimestamp(text, unit: .microseconds) != nil {
                    if hasZone(text) { zoned += 1 } else { local += 1 }
                } else {
                    dates = -1
                    return
                }
            }
        }
        guard dates >= 0 else { return nil }
        switch (dates, zoned, local) {
        case (1..., 0, 0): return .date
        case (0, 1..., 0): return .timestampUTC
        case (0, 0, 1...): return .timestamp(unit: .microseconds, timezone: nil)
        default: return nil
        }
    }

    /// A zone after the time: `Z`, or `+hh:mm` / `-hh:mm` past the date's own dashes.
    static func hasZone(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let last = text.last else { return false }
        if last == UInt8(ascii: "Z") || last == UInt8(ascii: "z") { return true }
        return text.dropFirst(10).contains { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
    }
}

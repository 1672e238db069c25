/// ISO 8601 text for date and timestamp literals: `'2024-01-01'` against a `Date` column,
/// `'2024-01-01T10:00:00Z'` (or with a space, fractional seconds, `+02:00`, or a bare date
/// meaning midnight) against a `Timestamp` column. Literals convert once, when a filter is
/// bound, never per row. The reading and writing rules are the codecs' (`ISO8601`), so a
/// filter accepts exactly the text an upload would: a time without an offset is UTC.
enum TemporalLiteral {
    /// Days since 1970-01-01 of `YYYY-MM-DD`, or nil when the text is not a valid date.
    static func parseDate(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { ISO8601.parseDate(UnsafeRawBufferPointer($0)) }
    }

    /// Ticks of `unit` since the epoch, or nil when the text is not a valid timestamp, does
    /// not fit in Int64 ticks, or has a fraction finer than the unit.
    static func parseTimestamp(_ text: String, unit: DataType.TimeUnit) -> Int64? {
        var text = text
        return text.withUTF8 { ISO8601.parseTimestamp(UnsafeRawBufferPointer($0), unit: unit) }
    }

    /// `YYYY-MM-DD` for days since the epoch.
    static func formatDate(_ days: Int64) -> String {
        written(maxBytes: ISO8601.maxDateLength) { ISO8601.writeDate(days, to: $0) }
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` for ticks of `unit`.
    static func formatTimestamp(_ ticks: Int64, unit: DataType.TimeUnit) -> String {
        written(maxBytes: ISO8601.maxTimestampLength) { ISO8601.writeTimestamp(ticks, unit: unit, zone: .utc, to: $0) }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        ISO8601.days(year: year, month: month, day: day)
    }

    private static func written(maxBytes: Int, _ write: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) -> String {
        let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: maxBytes)
        defer { buffer.deallocate() }
        let end = write(buffer)
        return String(decoding: UnsafeBufferPointer(start: buffer, count: end - buffer), as: UTF8.self)
    }
}

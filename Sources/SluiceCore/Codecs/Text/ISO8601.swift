/// ISO 8601 dates and timestamps for `Date` (days since 1970-01-01) and `Timestamp` (ticks
/// of a unit since the epoch) columns.
///
/// Written forms: a date is `YYYY-MM-DD`; a timestamp is `YYYY-MM-DDTHH:MM:SS` plus a
/// fraction of exactly the unit's digits (none for seconds, 3 ms, 6 us, 9 ns), then the zone:
/// nothing for a naive timestamp, `Z` for UTC, the offset for a fixed-offset zone such as
/// `+05:30` (the local time is written), and `Z` with the UTC time for a named zone such as
/// `Europe/Paris` (Sluice has no zone database, so those are normalised to UTC).
/// Years outside 0000...9999 are written with a sign.
///
/// Read forms: `YYYY-MM-DD`, optionally followed by `T` or a space, `HH:MM[:SS[.fraction]]`
/// and `Z` or `±HH[:MM]`. An offset is applied (the instant is stored); text without one is
/// taken as UTC (for a naive column: as is). A fraction finer than the unit is accepted
/// only when its extra digits are zeros, so reading never loses precision silently.
enum ISO8601 {
    static let maxDateLength = 16
    static let maxTimestampLength = 48

    // MARK: Civil calendar (proleptic Gregorian; algorithms after H. Hinnant)

    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // MARK: Writing

    static func writeDate(_ days: Int64, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let (y, m, d) = civil(days: days)
        var q = p
        if y > 9999 { q[0] = UInt8(ascii: "+"); q += 1 }
        q = DecimalText.write(y, padded: 4, to: q)
        q[0] = UInt8(ascii: "-"); q = DecimalText.write(m, padded: 2, to: q + 1)
        q[0] = UInt8(ascii: "-"); return DecimalText.write(d, padded: 2, to: q + 1)
    }

    /// How a timestamp column's zone is written; computed once per column.
    enum ZoneStyle {
        /// No zone suffix (naive timestamps).
        case naive
        /// UTC time with `Z` (UTC and named zones).
        case utc
        /// Local time and `±HH:MM` (fixed-offset zones), seconds east of UTC.
        case offset(Int64)

        init(timezone: String?) {
            guard let timezone else { self = .naive; return }
            let offset = ISO8601.fixedOffsetSeconds(timezone) ?? 0
            self = offset == 0 ? .utc : .offset(offset)
        }
    }

    static func writeTimestamp(
        _ ticks: Int64, unit: DataType.TimeUnit, zone: ZoneStyle, to p: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var offset: Int64 = 0
        if case let .offset(seconds) = zone { offset = seconds }
        let perSecond = unit.ticksPerSecond
        var seconds = ticks / perSecond
        var fraction = ticks % perSecond
        if fraction < 0 { fraction += perSecond; seconds -= 1 }
        seconds += offset
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        var q = writeDate(days, to: p)
        q[0] = UInt8(ascii: "T")
        q = DecimalText.write(secondOfDay / 3600, padded: 2, to: q + 1)
        q[0] = UInt8(ascii: ":"); q = DecimalText.write(secondOfDay / 60 % 60, padded: 2, to: q + 1)
        q[0] = UInt8(ascii: ":"); q = DecimalText.write(secondOfDay % 60, padded: 2, to: q + 1)
        if perSecond > 1 {
            q[0] = UInt8(ascii: ".")
            q = DecimalText.write(fraction, padded: fractionDigits(unit), to: q + 1)
        }
        switch zone {
        case .naive: return q
        case .utc: q[0] = UInt8(ascii: "Z"); return q + 1
        case .offset: break
        }
        q[0] = offset < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+")
        q = DecimalText.write(abs(offset) / 3600, padded: 2, to: q + 1)
        q[0] = UInt8(ascii: ":")
        return DecimalText.write(abs(offset) / 60 % 60, padded: 2, to: q + 1)
    }

    static func fractionDigits(_ unit: DataType.TimeUnit) -> Int {
        switch unit {
        case .seconds: return 0
        case .milliseconds: return 3
        case .microseconds: return 6
        case .nanoseconds: return 9
        }
    }

    /// The offset of a zone written as `±HH:MM` (or `UTC`/`Z`: 0); nil for named zones.
    static func fixedOffsetSeconds(_ zone: String) -> Int64? {
        if zone == "UTC" || zone == "Z" || zone == "Etc/UTC" { return 0 }
        var text = zone
        return text.withUTF8 { utf8 in
            var reader = ISO8601Reader(UnsafeRawBufferPointer(utf8))
            guard let offset = reader.readOffset(), reader.atEnd else { return nil }
            return offset
        }
    }

    // MARK: Reading

    /// Days for `YYYY-MM-DD`, or nil.
    static func parseDate(_ text: UnsafeRawBufferPointer) -> Int64? {
        var reader = ISO8601Reader(text)
        guard let days = reader.readDate(), reader.atEnd else { return nil }
        return days
    }

    /// Ticks of `unit` for an ISO 8601 timestamp (see the type's doc), or nil.
    static func parseTimestamp(_ text: UnsafeRawBufferPointer, unit: DataType.TimeUnit) -> Int64? {
        var reader = ISO8601Reader(text)
        guard let days = reader.readDate() else { return nil }
        var seconds = days * 86_400
        var fraction: Int64 = 0
        if !reader.atEnd {
            guard reader.take(UInt8(ascii: "T")) || reader.take(UInt8(ascii: "t")) || reader.take(UInt8(ascii: " ")),
                let hour = reader.readDigits(2), hour < 24, reader.take(UInt8(ascii: ":")),
                let minute = reader.readDigits(2), minute < 60
            else { return nil }
            var second: Int64 = 0
            if reader.take(UInt8(ascii: ":")) {
                guard let s = reader.readDigits(2), s < 60 else { return nil }
                second = s
                if reader.take(UInt8(ascii: ".")) || reader.take(UInt8(ascii: ",")) {
                    guard let f = reader.readFraction(digits: fractionDigits(unit)) else { return nil }
                    fraction = f
                }
            }
            seconds += hour * 3600 + minute * 60 + second
            if !reader.atEnd {
                guard let offset = reader.readOffset() else { return nil }
                seconds -= offset
            }
            guard reader.atEnd else { return nil }
        }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: unit.ticksPerSecond)
        guard !overflow else { return nil }
        return scaled + fraction
    }
}

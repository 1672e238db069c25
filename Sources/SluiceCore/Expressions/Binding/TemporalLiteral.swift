/// ISO 8601 text for date and timestamp literals: `'2024-01-01'` against a `Date` column,
/// `'2024-01-01T10:00:00Z'` (or with a space, fractional seconds, `+02:00`, or a bare date
/// meaning midnight) against a `Timestamp` column. Literals convert once, when a filter is
/// bound, never per row. A time without an offset is read as UTC; so is a naive column.
enum TemporalLiteral {
    /// Days since 1970-01-01 of `YYYY-MM-DD`, or nil when the text is not a valid date.
    static func parseDate(_ text: String) -> Int64? {
        var reader = Reader(Array(text.utf8))
        guard let days = reader.date(), reader.atEnd else { return nil }
        return days
    }

    /// Ticks of `unit` since the epoch, or nil when the text is not a valid timestamp or
    /// does not fit in Int64 ticks (sub-tick fractions are truncated).
    static func parseTimestamp(_ text: String, unit: DataType.TimeUnit) -> Int64? {
        var reader = Reader(Array(text.utf8))
        guard let days = reader.date() else { return nil }
        var seconds = days * 86_400
        var nanos: Int64 = 0
        if reader.accept(UInt8(ascii: "T")) || reader.accept(UInt8(ascii: "t")) || reader.accept(UInt8(ascii: " ")) {
            guard let h = reader.digits(2), h < 24, reader.accept(UInt8(ascii: ":")),
                  let m = reader.digits(2), m < 60 else { return nil }
            seconds += h * 3600 + m * 60
            if reader.accept(UInt8(ascii: ":")) {
                guard let s = reader.digits(2), s < 60 else { return nil }
                seconds += s
                if reader.accept(UInt8(ascii: ".")) {
                    guard let fraction = reader.fractionNanos() else { return nil }
                    nanos = fraction
                }
            }
            guard let offset = reader.zoneOffsetSeconds() else { return nil }
            seconds -= offset
        }
        guard reader.atEnd else { return nil }
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: unit.ticksPerSecond)
        let (ticks, overflow2) = scaled.addingReportingOverflow(nanos / (1_000_000_000 / unit.ticksPerSecond))
        return overflow || overflow2 ? nil : ticks
    }

    /// `YYYY-MM-DD` for days since the epoch.
    static func formatDate(_ days: Int64) -> String {
        let (y, m, d) = civil(fromDays: days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z` for ticks of `unit`.
    static func formatTimestamp(_ ticks: Int64, unit: DataType.TimeUnit) -> String {
        let perSecond = unit.ticksPerSecond
        var seconds = ticks / perSecond
        var fraction = ticks % perSecond
        if fraction < 0 { fraction += perSecond; seconds -= 1 }
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        var text = formatDate(days) + "T\(pad(rest / 3600, 2)):\(pad(rest / 60 % 60, 2)):\(pad(rest % 60, 2))"
        if fraction != 0 {
            let width = String(perSecond).count - 1
            text += "." + pad(fraction, width)
        }
        return text + "Z"
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// A cursor over the literal's UTF-8 bytes.
    private struct Reader {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func accept(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        /// Exactly `count` decimal digits.
        mutating func digits(_ count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for b in bytes[index..<index + count] {
                guard b >= 48, b <= 57 else { return nil }
                value = value * 10 + Int64(b - 48)
            }
            index += count
            return value
        }

        /// `YYYY-MM-DD` (an optional leading `-` for years before 0) as days since the epoch.
        mutating func date() -> Int64? {
            let negative = accept(UInt8(ascii: "-"))
            guard let y = digits(4), accept(UInt8(ascii: "-")), let m = digits(2), accept(UInt8(ascii: "-")),
                  let d = digits(2), (1...12).contains(m), d >= 1 else { return nil }
            let year = negative ? -y : y
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            let monthDays: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            guard d <= monthDays[Int(m - 1)] else { return nil }
            return TemporalLiteral.days(year: year, month: m, day: d)
        }

        /// One to nine fraction digits as nanoseconds; further digits are ignored.
        mutating func fractionNanos() -> Int64? {
            var nanos: Int64 = 0
            var count = 0
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                if count < 9 { nanos = nanos * 10 + Int64(bytes[index] - 48) }
                count += 1
                index += 1
            }
            guard count > 0 else { return nil }
            for _ in count..<max(count, 9) { nanos *= 10 }
            return nanos
        }

        /// `Z`, `+HH:MM`, `-HHMM`, `+HH`, or nothing (UTC), as seconds east of UTC.
        mutating func zoneOffsetSeconds() -> Int64? {
            if atEnd { return 0 }
            if accept(UInt8(ascii: "Z")) || accept(UInt8(ascii: "z")) { return 0 }
            let sign: Int64
            if accept(UInt8(ascii: "+")) { sign = 1 } else if accept(UInt8(ascii: "-")) { sign = -1 } else { return nil }
            guard let h = digits(2), h < 24 else { return nil }
            var m: Int64 = 0
            if !atEnd {
                _ = accept(UInt8(ascii: ":"))
                guard let minutes = digits(2), minutes < 60 else { return nil }
                m = minutes
            }
            return sign * (h * 3600 + m * 60)
        }
    }
}

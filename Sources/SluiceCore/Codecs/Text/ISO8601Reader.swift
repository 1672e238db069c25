/// A cursor over ISO 8601 text, for `ISO8601`'s parsers.
struct ISO8601Reader {
    private let text: UnsafeRawBufferPointer
    private var i = 0

    init(_ text: UnsafeRawBufferPointer) { self.text = text }

    var atEnd: Bool { i == text.count }

    mutating func take(_ byte: UInt8) -> Bool {
        guard i < text.count, text[i] == byte else { return false }
        i += 1
        return true
    }

    /// Exactly `count` ASCII digits.
    mutating func readDigits(_ count: Int) -> Int64? {
        guard i + count <= text.count else { return nil }
        var v: Int64 = 0
        for k in 0..<count {
            let d = text[i + k] &- 48
            guard d < 10 else { return nil }
            v = v * 10 + Int64(d)
        }
        i += count
        return v
    }

    /// `[+-]YYYY-MM-DD` (four or more year digits) as days since the epoch.
    mutating func readDate() -> Int64? {
        var sign: Int64 = 1
        if take(UInt8(ascii: "-")) { sign = -1 } else { _ = take(UInt8(ascii: "+")) }
        var yearDigits = 0
        while i + yearDigits < text.count, text[i + yearDigits] &- 48 < 10 { yearDigits += 1 }
        guard yearDigits >= 4, yearDigits <= 9, let year = readDigits(yearDigits),
            take(UInt8(ascii: "-")), let month = readDigits(2), take(UInt8(ascii: "-")),
            let day = readDigits(2), (1...12).contains(month)
        else { return nil }
        let y = sign * year
        guard day >= 1, day <= ISO8601.daysInMonth(year: y, month: month) else { return nil }
        return ISO8601.days(year: y, month: month, day: day)
    }

    /// The digits after the decimal point as ticks with `digits` places; extra digits must be 0.
    mutating func readFraction(digits: Int) -> Int64? {
        var value: Int64 = 0
        var read = 0
        while i < text.count, text[i] &- 48 < 10 {
            let d = Int64(text[i] &- 48)
            if read < digits { value = value * 10 + d } else if d != 0 { return nil }
            read += 1
            i += 1
        }
        guard read > 0 else { return nil }
        for _ in read..<max(read, digits) { value *= 10 }
        return value
    }

    /// `Z` or `±HH[:MM]` / `±HHMM`, in seconds east of UTC.
    mutating func readOffset() -> Int64? {
        if take(UInt8(ascii: "Z")) || take(UInt8(ascii: "z")) { return 0 }
        let sign: Int64
        if take(UInt8(ascii: "+")) { sign = 1 } else if take(UInt8(ascii: "-")) { sign = -1 } else { return nil }
        guard let hours = readDigits(2), hours < 24 else { return nil }
        var minutes: Int64 = 0
        if take(UInt8(ascii: ":")) {
            guard let m = readDigits(2), m < 60 else { return nil }
            minutes = m
        } else if !atEnd {
            guard let m = readDigits(2), m < 60 else { return nil }
            minutes = m
        }
        return sign * (hours * 3600 + minutes * 60)
    }
}

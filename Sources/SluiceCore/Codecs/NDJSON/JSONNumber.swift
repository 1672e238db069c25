/// A JSON number as scanned: sign, decimal significand and exponent, kept exact so integer
/// columns get exact values and float columns a correctly rounded one.
struct JSONNumber {
    var negative = false
    /// The significant digits (integer and fraction) as an integer, if they fit 64 bits.
    var significand: UInt64 = 0
    /// The value is `significand × 10^exponent10`.
    var exponent10 = 0
    /// No fraction and no exponent in the text.
    var isInteger = true
    /// The digits did not fit in `significand`.
    var overflowed = false
    /// Digits accumulated into `significand` so far.
    var digitCount = 0
    /// The text's offsets in the buffer.
    var start = 0
    var end = 0

    /// The exact value when the text is an integer that fits an `Int64`.
    @inline(__always) var int64: Int64? {
        guard isInteger, !overflowed else { return nil }
        if negative { return significand <= 1 << 63 ? Int64(truncatingIfNeeded: 0 &- significand) : nil }
        return significand <= UInt64(Int64.max) ? Int64(significand) : nil
    }

    /// The exact value when the text is a non-negative integer that fits a `UInt64`.
    @inline(__always) var uint64: UInt64? {
        guard isInteger, !overflowed, !negative || significand == 0 else { return nil }
        return significand
    }

    /// The nearest Double.
    @inline(__always) func double(_ cursor: JSONCursor) -> Double {
        if !overflowed, let v = FloatText.fastValue(mantissa: significand, exponent10: exponent10, negative: negative) {
            return v
        }
        return FloatText.parse(UnsafeRawBufferPointer(start: cursor.base + start, count: end - start)) ?? .nan
    }
}

extension JSONCursor {
    /// Scans the number at the cursor (JSON grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    @inline(__always)
    mutating func readNumber() throws -> JSONNumber {
        var n = JSONNumber()
        n.start = pos
        if peek == UInt8(ascii: "-") { n.negative = true; pos &+= 1 }
        let first = peek
        if first == UInt8(ascii: "0") {
            pos &+= 1
            if peek &- 48 < 10 { throw DecodeFailure(at: n.start, "invalid number (leading zero)") }
        } else if first &- 49 < 9 {
            readDigits(&n, countingFraction: false)
        } else {
            throw DecodeFailure(at: n.start, "invalid number")
        }
        if peek == UInt8(ascii: ".") {
            pos &+= 1
            n.isInteger = false
            guard peek &- 48 < 10 else { throw DecodeFailure(at: n.start, "invalid number (no digits after '.')") }
            readDigits(&n, countingFraction: true)
        }
        if peek | 0x20 == UInt8(ascii: "e") {
            pos &+= 1
            n.isInteger = false
            var sign = 1
            if peek == UInt8(ascii: "-") { sign = -1; pos &+= 1 } else if peek == UInt8(ascii: "+") { pos &+= 1 }
            guard peek &- 48 < 10 else { throw DecodeFailure(at: n.start, "invalid number (no digits in the exponent)") }
            var e = 0
            while pos < end, base[pos] &- 48 < 10 {
                if e < 100_000 { e = e * 10 + Int(base[pos] &- 48) }
                pos &+= 1
            }
            n.exponent10 += sign * e
        }
        n.end = pos
        return n
    }

    /// Accumulates a run of digits. While fewer than 19 significant digits have been taken
    /// the significand cannot overflow (10^19 - 1 < 2^64), so those take no overflow checks.
    @inline(__always)
    private mutating func readDigits(_ n: inout JSONNumber, countingFraction: Bool) {
        var significand = n.significand
        var taken = n.digitCount
        let runStart = pos
        while pos < end, taken < 19 {
            let d = base[pos] &- 48
            guard d < 10 else { break }
            significand = significand &* 10 &+ UInt64(d)
            taken &+= 1
            pos &+= 1
        }
        n.significand = significand
        n.digitCount = taken
        if countingFraction { n.exponent10 -= pos - runStart }
        while pos < end {
            let d = base[pos] &- 48
            guard d < 10 else { return }
            if !n.overflowed {
                let (m, o1) = n.significand.multipliedReportingOverflow(by: 10)
                let (s, o2) = m.addingReportingOverflow(UInt64(d))
                if o1 || o2 { n.overflowed = true } else { n.significand = s; n.digitCount += 1 }
            }
            if countingFraction && !n.overflowed { n.exponent10 -= 1 }
            pos &+= 1
        }
    }
}

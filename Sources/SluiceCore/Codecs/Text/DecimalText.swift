/// Decimal integer text: writing straight into an output buffer and parsing from bytes.
/// Shared by the JSON and CSV codecs and by the ISO 8601 helpers.
enum DecimalText {
    /// The most bytes an `Int64` or `UInt64` takes in decimal (with a sign).
    static let maxLength = 20

    /// "00".."99", two bytes per pair, so two digits are written per division. A string
    /// literal lives in constant data: reading it needs no lazy-global initialisation check
    /// (a `static let` array would cost a `swift_once` call per number).
    @inline(__always)
    private static var digitPairs: UnsafePointer<UInt8> {
        let pairs: StaticString =
            "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"
        return pairs.utf8Start
    }

    @inline(__always)
    static func digitCount(_ value: UInt64) -> Int {
        var n = 1
        var v = value
        while v >= 10_000 { v /= 10_000; n += 4 }
        if v >= 100 { v /= 100; n += 2 }
        if v >= 10 { n += 1 }
        return n
    }

    /// Writes `value` at `p`; returns the end.
    @inline(__always)
    static func write(_ value: UInt64, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        let end = p + digitCount(value)
        var q = end
        var v = value
        let pairs = digitPairs
        while v >= 100 {
            let r = Int(truncatingIfNeeded: v % 100)
            v /= 100
            q -= 2
            q[0] = pairs[2 &* r]
            q[1] = pairs[2 &* r &+ 1]
        }
        if v >= 10 {
            let r = Int(truncatingIfNeeded: v)
            q -= 2
            q[0] = pairs[2 &* r]
            q[1] = pairs[2 &* r &+ 1]
        } else {
            q -= 1
            q[0] = 48 &+ UInt8(truncatingIfNeeded: v)
        }
        return end
    }

    /// Writes `value` at `p` (Int64.min included); returns the end.
    @inline(__always)
    static func write(_ value: Int64, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if value < 0 {
            p[0] = UInt8(ascii: "-")
            return write(value.magnitude, to: p + 1)
        }
        return write(UInt64(value), to: p)
    }

    /// Writes `value` zero-padded to at least `width` digits (dates and times).
    static func write(_ value: Int64, padded width: Int, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var q = p
        if value < 0 { q[0] = UInt8(ascii: "-"); q += 1 }
        let digits = digitCount(value.magnitude)
        if digits < width {
            for _ in 0..<(width - digits) { q[0] = UInt8(ascii: "0"); q += 1 }
        }
        return write(value.magnitude, to: q)
    }

    /// A signed decimal integer (optional `+`/`-`, then digits only), or nil when the text is
    /// not one or does not fit an `Int64`.
    static func parseInt64(_ text: UnsafeRawBufferPointer) -> Int64? {
        guard let (negative, magnitude) = parseSignedMagnitude(text) else { return nil }
        if negative {
            return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// An unsigned decimal integer (optional `+`), or nil.
    static func parseUInt64(_ text: UnsafeRawBufferPointer) -> UInt64? {
        guard let (negative, magnitude) = parseSignedMagnitude(text) else { return nil }
        return negative && magnitude != 0 ? nil : magnitude
    }

    private static func parseSignedMagnitude(_ text: UnsafeRawBufferPointer) -> (Bool, UInt64)? {
        var i = 0
        var negative = false
        if let first = text.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            i = 1
        }
        guard i < text.count else { return nil }
        var value: UInt64 = 0
        while i < text.count {
            let d = text[i] &- 48
            guard d < 10 else { return nil }
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            guard !o1, !o2 else { return nil }
            value = s
            i += 1
        }
        return (negative, value)
    }
}

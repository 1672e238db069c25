#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Floating-point text: shortest round-trip formatting and correctly rounded parsing.
enum FloatText {
    /// The most bytes `write` produces (Double's longest shortest form is 24 bytes).
    static let maxLength = 32

    /// Writes the shortest text that reads back as `value` (Swift's `description`, which is
    /// shortest round-trip and does not allocate for short results). For `Float32` columns
    /// the value is formatted as a `Float`, so `0.1` stays `0.1`. Callers handle non-finite
    /// values themselves.
    @inline(__always)
    static func write(_ value: Double, float32: Bool, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        if !float32, let end = writeShortFixed(value, to: p) { return end }
        var text = float32 ? Float(value).description : value.description
        return text.withUTF8 { utf8 in
            p.update(from: utf8.baseAddress!, count: utf8.count)
            return p + utf8.count
        }
    }

    /// Fast path for the common case of a Double with few decimals (prices, scores): the
    /// shortest round-trip text when it has at most 9 fraction digits and 0.001 ≤ |value| <
    /// 10^15 (where Swift's `description` uses the same fixed notation); nil otherwise.
    ///
    /// The text is m/10^k with the fewest fraction digits k ≤ 9 such that `Double(m) / 10^k`
    /// (exact operands, so exactly what parsing the text gives) reads back as `value`.
    @inline(__always)
    static func writeShortFixed(_ value: Double, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        let magnitude = abs(value)
        guard magnitude >= 0.001, magnitude < 1e15 else { return nil }
        guard magnitude < 1_048_576 else { return writeShortFixedLarge(value, to: p) }
        // Below 2^20, magnitude × 10^9 < 2^50 lies within 1/4 of m × 10^(9-k) whenever m/10^k
        // round-trips (half an ulp of the value plus half an ulp of the product, both < 1/8
        // after scaling), so one multiplication and stripping trailing zeros finds the fewest
        // digits, and when the check fails no k ≤ 9 works.
        var digits = UInt64(magnitude * 1e9 + 0.5)
        var unit: UInt64 = 1_000_000_000
        var k = 9
        if digits % 10_000 == 0 { digits /= 10_000; unit /= 10_000; k -= 4 }
        if digits % 100 == 0 { digits /= 100; unit /= 100; k -= 2 }
        while k > 0, digits % 10 == 0 { digits /= 10; unit /= 10; k -= 1 }
        guard Double(digits) / Double(unit) == magnitude else { return nil }
        return writeFixed(negative: value < 0, digits: digits, unit: unit, fractionDigits: k, to: p)
    }

    /// `writeShortFixed` for 2^20 ≤ |value| < 10^15: tries each k in turn.
    private static func writeShortFixedLarge(_ value: Double, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        let magnitude = abs(value)
        for k in 0...9 {
            let scale = exactPowerOfTen(k)
            let scaled = (magnitude * scale).rounded()
            guard scaled < 9_007_199_254_740_992 else { return nil }
            guard scaled / scale == magnitude else { continue }
            return writeFixed(negative: value < 0, digits: UInt64(scaled), unit: UInt64(scale), fractionDigits: k, to: p)
        }
        return nil
    }

    /// Writes `digits / unit` with `fractionDigits` digits after the point (`.0` for none).
    @inline(__always)
    private static func writeFixed(
        negative: Bool, digits: UInt64, unit: UInt64, fractionDigits k: Int, to p: UnsafeMutablePointer<UInt8>
    ) -> UnsafeMutablePointer<UInt8> {
        var q = p
        if negative { q[0] = UInt8(ascii: "-"); q += 1 }
        q = DecimalText.write(digits / unit, to: q)
        q[0] = UInt8(ascii: ".")
        q += 1
        if k == 0 {
            q[0] = UInt8(ascii: "0")
            return q + 1
        }
        var fraction = digits % unit
        var i = k
        while i > 0 {
            i -= 1
            q[i] = 48 &+ UInt8(truncatingIfNeeded: fraction % 10)
            fraction /= 10
        }
        return q + k
    }

    /// 10^k for 0 ≤ k ≤ 22, the powers of ten exact as Doubles. A switch of constants (the
    /// compiler makes it a table in constant data) rather than a `static let` array, which
    /// would cost a lazy-initialisation call per use.
    @inline(__always)
    static func exactPowerOfTen(_ k: Int) -> Double {
        switch k {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// `mantissa × 10^exponent10` when that is computed exactly by one multiplication or
    /// division (Clinger's fast path), else nil.
    @inline(__always)
    static func fastValue(mantissa: UInt64, exponent10: Int, negative: Bool) -> Double? {
        guard mantissa <= 1 << 53, exponent10 >= -22, exponent10 <= 22 else { return nil }
        let m = Double(mantissa)
        let v = exponent10 < 0 ? m / exactPowerOfTen(-exponent10) : m * exactPowerOfTen(exponent10)
        return negative ? -v : v
    }

    /// Parses decimal floating-point text (`-1.5`, `2e10`, `.5`) with `strtod`, which rounds
    /// correctly; also `NaN`, `inf`, `-inf`, `infinity` in any case. Nil for anything else
    /// (hex floats and surrounding spaces included).
    static func parse(_ text: UnsafeRawBufferPointer) -> Double? {
        guard !text.isEmpty, text.count < 512 else { return nil }
        if let special = nonFinite(text) { return special }
        for b in text {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                 UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): continue
            default: return nil
            }
        }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: text.count + 1) { buf in
            let base = buf.baseAddress!
            UnsafeMutableRawPointer(base).copyMemory(from: text.baseAddress!, byteCount: text.count)
            base[text.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let value = strtod(base, &end)
            return end == base + text.count ? value : nil
        }
    }

    private static func nonFinite(_ text: UnsafeRawBufferPointer) -> Double? {
        guard text.count <= 9 else { return nil }
        switch String(decoding: text, as: UTF8.self).lowercased() {
        case "nan": return .nan
        case "inf", "+inf", "infinity", "+infinity": return .infinity
        case "-inf", "-infinity": return -.infinity
        default: return nil
        }
    }
}

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

    /// Fast path for the common case of a Double with few decimals (prices, scores): finds
    /// the fewest fraction digits k ≤ 9 such that the decimal m/10^k reads back as `value`
    /// (m < 2^53 and 10^k are exact, so `Double(m) / 10^k` is exactly what parsing the text
    /// gives), which is the shortest round-trip text. Limited to 0.001 ≤ |value| < 10^15,
    /// where Swift's `description` uses the same fixed notation; nil otherwise.
    @inline(__always)
    static func writeShortFixed(_ value: Double, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>? {
        let magnitude = abs(value)
        guard magnitude >= 0.001, magnitude < 1e15 else { return nil }
        return exactPowersOfTen.withUnsafeBufferPointer { pow10 -> UnsafeMutablePointer<UInt8>? in
            for k in 0...9 {
                let scaled = (magnitude * pow10[k]).rounded()
                guard scaled < 9_007_199_254_740_992 else { return nil }
                guard scaled / pow10[k] == magnitude else { continue }
                var q = p
                if value < 0 { q[0] = UInt8(ascii: "-"); q += 1 }
                let digits = UInt64(scaled)
                let unit = UInt64(pow10[k])
                q = DecimalText.write(digits / unit, to: q)
                q[0] = UInt8(ascii: ".")
                q += 1
                if k == 0 {
                    q[0] = UInt8(ascii: "0")
                    return q + 1
                }
                return DecimalText.write(Int64(digits % unit), padded: k, to: q)
            }
            return nil
        }
    }

    /// Exact powers of ten representable as Doubles (10^0 ... 10^22).
    private static let exactPowersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    /// `mantissa × 10^exponent10` when that is computed exactly by one multiplication or
    /// division (Clinger's fast path), else nil.
    @inline(__always)
    static func fastValue(mantissa: UInt64, exponent10: Int, negative: Bool) -> Double? {
        guard mantissa <= 1 << 53, exponent10 >= -22, exponent10 <= 22 else { return nil }
        let m = Double(mantissa)
        let v = exactPowersOfTen.withUnsafeBufferPointer { pow10 in
            exponent10 < 0 ? m / pow10[-exponent10] : m * pow10[exponent10]
        }
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

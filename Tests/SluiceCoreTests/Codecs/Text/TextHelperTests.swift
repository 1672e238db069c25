import Testing
@testable import SluiceCore

@Suite struct TextHelperTests {
    func written(_ body: (UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.appendWriting(maxBytes: 64, body)
        return String(decoding: out, as: UTF8.self)
    }

    @Test func decimalWritingAndParsing() {
        for v: Int64 in [0, 7, -7, 10, 99, 100, 12345, -1_000_000, .max, .min] {
            #expect(written { DecimalText.write(v, to: $0) } == String(v))
            #expect(Array(String(v).utf8).withUnsafeBytes { DecimalText.parseInt64($0) } == v)
        }
        #expect(written { DecimalText.write(UInt64.max, to: $0) } == "18446744073709551615")
        #expect(Array("9223372036854775808".utf8).withUnsafeBytes { DecimalText.parseInt64($0) } == nil)
        #expect(Array("1a".utf8).withUnsafeBytes { DecimalText.parseInt64($0) } == nil)
        #expect(Array("-".utf8).withUnsafeBytes { DecimalText.parseInt64($0) } == nil)
    }

    @Test func datesRoundTripAcrossTheCalendar() {
        for days: Int64 in [-719_528, -1, 0, 59, 60, 11_016, 19_724, 2_932_896, 2_932_897] {
            let text = written { ISO8601.writeDate(days, to: $0) }
            #expect(Array(text.utf8).withUnsafeBytes { ISO8601.parseDate($0) } == days, "\(text)")
        }
        #expect(written { ISO8601.writeDate(0, to: $0) } == "1970-01-01")
        #expect(Array("2023-02-29".utf8).withUnsafeBytes { ISO8601.parseDate($0) } == nil)
        #expect(Array("2024-02-29".utf8).withUnsafeBytes { ISO8601.parseDate($0) } == 19_782)
    }

    @Test func timestampsParseOffsetsAndFractions() {
        func parse(_ s: String, _ unit: DataType.TimeUnit = .microseconds) -> Int64? {
            Array(s.utf8).withUnsafeBytes { ISO8601.parseTimestamp($0, unit: unit) }
        }
        #expect(parse("1970-01-01T00:00:00Z") == 0)
        #expect(parse("1970-01-01 00:00:01.5") == 1_500_000)
        #expect(parse("1970-01-01T01:00:00+01:00") == 0)
        #expect(parse("1970-01-01T00:00:00-0130") == 5_400_000_000)
        #expect(parse("1970-01-01") == 0)
        #expect(parse("1970-01-01T00:00:00.1234567Z") == nil)
        #expect(parse("1970-01-01T00:00:00.1234560Z") == 123_456)
        #expect(parse("1970-01-01T24:00:00Z") == nil)
        #expect(written { ISO8601.writeTimestamp(-1, unit: .nanoseconds, zone: .utc, to: $0) } == "1969-12-31T23:59:59.999999999Z")
        #expect(written { ISO8601.writeTimestamp(0, unit: .seconds, zone: .offset(-3600), to: $0) } == "1969-12-31T23:00:00-01:00")
        #expect(ISO8601.fixedOffsetSeconds("Europe/Paris") == nil)
    }

    @Test func base64RoundTrips() {
        let scratch = ByteScratch()
        for n in 0..<8 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 200) }
            let text = bytes.withUnsafeBytes { b in written { Base64.write(b, to: $0) } }
            #expect(Array(text.utf8).withUnsafeBytes { Base64.decode($0, into: scratch) })
            #expect(Array(scratch.bytes) == bytes)
        }
        #expect(Array("aGk".utf8).withUnsafeBytes { Base64.decode($0, into: scratch) })
        #expect(!Array("a".utf8).withUnsafeBytes { Base64.decode($0, into: scratch) })
        #expect(!Array("a$==".utf8).withUnsafeBytes { Base64.decode($0, into: scratch) })
    }

    @Test func floatWritingMatchesSwiftsShortestForm() {
        var generator = SystemRandomNumberGenerator()
        var samples: [Double] = [0.001, 0.1, 0.7919, 1, 2.5, 100, 123456.789, 999_999_999_999_999, 0.3, 1e-3, 12.34e5, -7.25, 0.0009999]
        for _ in 0..<20_000 {
            let digits = Double(Int.random(in: 0..<1_000_000, using: &generator))
            let scale = [1.0, 10, 100, 1000, 1e4, 1e6, 1e9][Int.random(in: 0..<7, using: &generator)]
            samples.append(digits / scale)
            samples.append(Double.random(in: -1e6...1e6, using: &generator))
        }
        for v in samples {
            #expect(written { FloatText.write(v, float32: false, to: $0) } == v.description, "\(v)")
        }
    }

    @Test func floatParsing() {
        func parse(_ s: String) -> Double? { Array(s.utf8).withUnsafeBytes { FloatText.parse($0) } }
        #expect(parse("0.1") == 0.1)
        #expect(parse("-2.5e3") == -2500)
        #expect(parse("inf") == .infinity)
        #expect(parse(" 1") == nil)
        #expect(parse("0x10") == nil)
        #expect(FloatText.fastValue(mantissa: 7919, exponent10: -4, negative: false) == 0.7919)
    }

    @Test func utf8Validation() {
        #expect(([UInt8]([0x61, 0xE2, 0x82, 0xAC])).withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } == nil)
        #expect(([UInt8]([0x61, 0xC0, 0x80])).withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } == 1)
        #expect(([UInt8]([0xED, 0xA0, 0x80])).withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } == 0)
        #expect(([UInt8]([0xF4, 0x90, 0x80, 0x80])).withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) } == 0)
    }
}

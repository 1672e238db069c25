import Testing
@testable import SluiceCore

@Suite struct TemporalLiteralTests {
    @Test func datesBecomeDaysSinceTheEpoch() {
        #expect(TemporalLiteral.parseDate("1970-01-01") == 0)
        #expect(TemporalLiteral.parseDate("2024-01-01") == 19723)
        #expect(TemporalLiteral.parseDate("1969-12-31") == -1)
        #expect(TemporalLiteral.parseDate("2000-02-29") == 11016)
        for bad in ["2023-02-29", "1900-02-29", "2024-13-01", "2024-00-10", "2024-1-01", "2024-01-01T00:00", "", "x"] {
            #expect(TemporalLiteral.parseDate(bad) == nil, "\(bad)")
        }
    }

    @Test func timestampsBecomeTicksOfTheColumnUnit() {
        let tenAM: Int64 = 19723 * 86_400 + 36_000
        #expect(TemporalLiteral.parseTimestamp("2024-01-01T10:00:00Z", unit: .seconds) == tenAM)
        #expect(TemporalLiteral.parseTimestamp("2024-01-01 10:00", unit: .milliseconds) == tenAM * 1000)
        #expect(TemporalLiteral.parseTimestamp("2024-01-01T12:30:00+02:30", unit: .seconds) == tenAM)
        #expect(TemporalLiteral.parseTimestamp("2024-01-01T09:00:00-0100", unit: .seconds) == tenAM)
        #expect(TemporalLiteral.parseTimestamp("2024-01-01T10:00:00.123456789Z", unit: .nanoseconds) == tenAM * 1_000_000_000 + 123_456_789)
        #expect(TemporalLiteral.parseTimestamp("2024-01-01T10:00:00.5Z", unit: .microseconds) == tenAM * 1_000_000 + 500_000)
        let midnight: Int64 = 19723 * 86_400_000_000
        #expect(TemporalLiteral.parseTimestamp("2024-01-01", unit: .microseconds) == midnight)
        for bad in ["2024-01-01T24:00", "2024-01-01T10", "2024-01-01T10:00:00.Z", "2024-01-01T10:00Q", "2024-01-01 10:60"] {
            #expect(TemporalLiteral.parseTimestamp(bad, unit: .microseconds) == nil, "\(bad)")
        }
    }

    @Test func formatsReadBack() {
        for days: Int64 in [-719_468, -1, 0, 19723, 2_932_896] {
            #expect(TemporalLiteral.parseDate(TemporalLiteral.formatDate(days)) == days)
        }
        for ticks: Int64 in [-1, 0, 1_704_103_200_123_456, 1] {
            let text = TemporalLiteral.formatTimestamp(ticks, unit: .microseconds)
            #expect(TemporalLiteral.parseTimestamp(text, unit: .microseconds) == ticks, "\(text)")
        }
        #expect(TemporalLiteral.formatTimestamp(-1, unit: .microseconds) == "1969-12-31T23:59:59.999999Z")
    }
}

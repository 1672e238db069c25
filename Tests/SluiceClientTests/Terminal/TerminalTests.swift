import Testing
@testable import SluiceClient
import Foundation

struct TerminalFrameTests {
    @Test func aFrameReplacesThePreviousInPlaceAndNeverWraps() {
        #expect(TerminalFrame.redraw(["a", "b"], previous: 0, width: 80) == "\r\u{1B}[2Ka\n\u{1B}[2Kb\u{1B}[J")
        #expect(TerminalFrame.redraw(["c"], previous: 3, width: 80) == "\r\u{1B}[2A\u{1B}[2Kc\u{1B}[J")
        #expect(TerminalFrame.redraw([String(repeating: "x", count: 50)], previous: 1, width: 21) == "\r\u{1B}[2K" + String(repeating: "x", count: 20) + "\u{1B}[J")
        #expect(TerminalFrame.erase(previous: 0) == "")
        #expect(TerminalFrame.erase(previous: 2) == "\r\u{1B}[1A\u{1B}[J")
    }

    @Test func figures() {
        #expect(Figures.count(1_234_567) == "1,234,567")
        #expect(Figures.count(999) == "999")
        #expect(Figures.bytes(512) == "512 B")
        #expect(Figures.bytes(81_000_000) == "81 MB")
        #expect(Figures.bytes(1_500) == "1.5 kB")
        #expect(Figures.duration(75) == "1:15")
    }

    @Test func summariesAreTablesInTheSchemasOrder() throws {
        let json = #"{"schema":[{"name":"rows","type":"Int64","nullable":true},{"name":"table","type":"String","nullable":true},{"name":"extra","type":"Struct","nullable":true}],"rows":[{"table":"t","rows":12,"extra":{"b":[1,null],"a":"x"}}]}"#
        let table = try TextTable.summary(Array(json.utf8))
        #expect(table.render() == """
            rows  table  extra
            ----  -----  -------------------------
            12    t      {"a":"x","b":[1,null]}

            """.replacingOccurrences(of: "-------------------------", with: "----------------------"))
        #expect(throws: ClientFailure.self) { try TextTable.summary(Array("[]".utf8)) }
    }
}

import Testing
@testable import HTTPServer

@Suite struct PercentDecodingTests {
    @Test func decodesEscapesAndPlus() {
        #expect(PercentDecoding.decode("a%20b%2Fc") == "a b/c")
        #expect(PercentDecoding.decode("caf%C3%A9") == "café")
        #expect(PercentDecoding.decode("a+b", plusAsSpace: true) == "a b")
        #expect(PercentDecoding.decode("a+b") == "a+b")
    }

    @Test func refusesMalformedEscapesAndInvalidUTF8() {
        #expect(PercentDecoding.decode("%zz") == nil)
        #expect(PercentDecoding.decode("abc%2") == nil)
        #expect(PercentDecoding.decode("%C3%28") == nil)
    }
}

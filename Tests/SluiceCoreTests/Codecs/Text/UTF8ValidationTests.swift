import Testing
import SluiceCore

@Suite struct UTF8ValidationTests {
    func firstInvalid(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { UTF8Validation.firstInvalidOffset($0) }
    }

    @Test func acceptsWellFormedText() {
        #expect(firstInvalid(Array("plain ASCII that is longer than eight bytes".utf8)) == nil)
        #expect(firstInvalid(Array("é 日本 🎉 \u{10FFFF} \u{D7FF} \u{E000}".utf8)) == nil)
        #expect(firstInvalid([]) == nil)
    }

    @Test(arguments: [
        ([0x80], 0),                       // lone continuation byte
        ([0x61, 0xC0, 0xAF], 1),           // overlong encoding of '/'
        ([0x61, 0x62, 0xE0, 0x80, 0xAF], 2), // overlong three-byte form
        ([0xED, 0xA0, 0x80], 0),           // UTF-16 surrogate
        ([0xF4, 0x90, 0x80, 0x80], 0),     // above U+10FFFF
        ([0xF5, 0x80, 0x80, 0x80], 0),     // invalid lead byte
        (Array("abcdefghij".utf8) + [0xE6, 0x97], 10), // truncated at the end, after the fast path
        ([0xC3, 0x28], 0),                 // bad continuation
    ] as [([UInt8], Int)])
    func reportsTheFirstBadSequence(bytes: [UInt8], offset: Int) {
        #expect(firstInvalid(bytes) == offset)
    }
}

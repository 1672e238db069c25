import Testing
@testable import HTTPServer

@Suite struct ChunkedDecoderTests {
    /// Decodes `wire` split at `split`; returns the data, the decoder and bytes left over.
    static func decode(_ wire: [UInt8], split: Int? = nil) throws -> (data: [UInt8], decoder: ChunkedDecoder, rest: Int) {
        var decoder = ChunkedDecoder()
        var data: [UInt8] = []
        var pending: [UInt8] = []
        let pieces = split.map { [Array(wire[0..<$0]), Array(wire[$0...])] } ?? [wire]
        for piece in pieces {
            pending += piece
            let consumed = try pending.withUnsafeBytes { raw in
                try decoder.decode(raw, maxData: Int.max) { data += $0 }
            }
            pending.removeFirst(consumed)
        }
        return (data, decoder, pending.count)
    }

    @Test func decodesChunksExtensionsAndTrailersAtEverySplit() throws {
        let wire = Array("5;name=value\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Checksum: abc\r\nX-Rows: 2\r\n\r\nNEXT".utf8)
        for split in 0...wire.count {
            let result = try Self.decode(wire, split: split)
            #expect(String(decoding: result.data, as: UTF8.self) == "hello, world!!!", "split \(split)")
            #expect(result.decoder.isComplete)
            #expect(result.decoder.trailers["x-rows"] == "2")
            #expect(result.rest == 4)
        }
    }

    @Test func stopsAtMaxData() throws {
        var decoder = ChunkedDecoder()
        let wire = Array("a\r\n0123456789\r\n0\r\n\r\n".utf8)
        var data: [UInt8] = []
        let consumed = try wire.withUnsafeBytes { try decoder.decode($0, maxData: 4) { data += $0 } }
        #expect(data.count == 4)
        #expect(consumed == 7)
        #expect(!decoder.isComplete)
    }

    @Test(arguments: [
        "x\r\nabc\r\n0\r\n\r\n",              // not hex
        "\r\n",                                // empty size
        "1000000000000000\r\n",                // 16 hex digits: overflow
        "3\r\nabcd\r\n0\r\n\r\n",              // data longer than the size
        "3\nabc\r\n0\r\n\r\n",                 // LF without CR
        "3\r\nabc\r\n0\r\nBad Trailer: x\r\n\r\n", // space in trailer name
        "3;ext\u{1}\r\nabc\r\n0\r\n\r\n",      // control character in an extension
    ])
    func refusesBadFramingWith400(wire: String) {
        do {
            _ = try Self.decode(Array(wire.utf8))
            Issue.record("accepted \(wire.debugDescription)")
        } catch let error as HTTPError {
            #expect(error.status.code == 400)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

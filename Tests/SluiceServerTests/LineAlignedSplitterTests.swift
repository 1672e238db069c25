import Testing
@testable import SluiceServer

/// Cutting an upload into pieces of whole lines for parallel decoding.
@Suite struct LineAlignedSplitterTests {
    /// Feeds `text` in chunks of `chunkSize` bytes and returns the pieces with their first lines.
    func pieces(_ text: String, chunkSize: Int, pieceBytes: Int = 1 << 20, batchRows: Int = 3) -> [(String, Int)] {
        var splitter = LineAlignedSplitter(pieceBytes: pieceBytes, batchRows: batchRows, maxLineLength: 64)
        let bytes = Array(text.utf8)
        var out: [(String, Int)] = []
        var start = 0
        while start < bytes.count {
            let chunk = Array(bytes[start..<min(start + chunkSize, bytes.count)])
            if let piece = splitter.add(chunk) { out.append(joined(piece)) }
            start += chunkSize
        }
        if let piece = splitter.add(nil) { out.append(joined(piece)) }
        return out
    }

    func joined(_ piece: LineAlignedSplitter.Piece) -> (String, Int) {
        (String(decoding: piece.chunks.flatMap { $0 }, as: UTF8.self), piece.firstLine)
    }

    @Test(arguments: [1, 2, 5, 7, 100])
    func piecesAreWholeLinesThatCoverTheInputOnce(chunkSize: Int) {
        let text = (1...10).map { "line \($0)\n" }.joined() + "last without newline"
        let result = pieces(text, chunkSize: chunkSize)
        #expect(result.map(\.0).joined() == text)
        for (piece, firstLine) in result {
            #expect(piece.hasSuffix("\n") || piece.hasSuffix("newline"))
            #expect(piece.hasPrefix("line \(firstLine)\n") || piece == "last without newline" && firstLine == 11)
        }
        #expect(result.count > 1)
    }

    @Test func aLineLongerThanTheLimitIsCutSoTheDecoderCanReportIt() {
        let long = String(repeating: "x", count: 100)
        let result = pieces(long + "\nshort\n", chunkSize: 10, pieceBytes: 16, batchRows: 100)
        #expect(result.map(\.0).joined() == long + "\nshort\n")
        #expect(result.first!.1 == 1)
    }
}

import Testing
@testable import HTTPServer

@Suite struct BodyInflaterTests {
    static let text = Array(String(repeating: "sluice streams rows; ", count: 3000).utf8)

    /// Inflates `input` fed in pieces of `pieceSize`, pulling at most `maxOutput` per call.
    static func inflate(_ input: [UInt8], coding: BodyInflater.Coding, pieceSize: Int, maxOutput: Int = 1000) throws -> [UInt8] {
        let inflater = try BodyInflater(coding: coding, maxInflated: BodyLimit(1 << 24), maxRatio: 1000)
        var out: [UInt8] = []
        var offset = 0
        while offset < input.count || !inflater.needsInput {
            if inflater.needsInput {
                inflater.feed(Array(input[offset..<min(input.count, offset + pieceSize)]))
                offset += pieceSize
            }
            while true {
                let piece = try inflater.inflate(maxOutput: maxOutput)
                if piece.isEmpty { break }
                #expect(piece.count <= maxOutput)
                out += piece
            }
        }
        #expect(inflater.isFinished)
        return out
    }

    @Test func gzipRoundTripInBoundedPieces() throws {
        let compressed = try GzipCompressor.gzip(Self.text)
        for pieceSize in [1, 7, 100, compressed.count] {
            #expect(try Self.inflate(compressed, coding: .gzip, pieceSize: pieceSize) == Self.text)
        }
    }

    @Test func streamingCompressionWithSyncFlushesDecodesAsOneStream() throws {
        let compressor = try GzipCompressor(level: 5)
        var stream: [UInt8] = []
        for start in stride(from: 0, to: Self.text.count, by: 5000) {
            stream += compressor.compress(Array(Self.text[start..<min(Self.text.count, start + 5000)]), flush: true)
        }
        stream += compressor.finish()
        #expect(try Self.inflate(stream, coding: .gzip, pieceSize: 512) == Self.text)
    }

    @Test func deflateAcceptsZlibAndRawStreams() async throws {
        let script = "import sys,zlib; d=b'abc'*1000; c=zlib.compressobj(6,zlib.DEFLATED,int(sys.argv[1])); sys.stdout.buffer.write(c.compress(d)+c.flush())"
        let wrapped = try await run("/usr/bin/python3", ["-c", script, "15"])
        let raw = try await run("/usr/bin/python3", ["-c", script, "-15"])
        let expected = Array(String(repeating: "abc", count: 1000).utf8)
        #expect(try Self.inflate(wrapped.output, coding: .deflate, pieceSize: 64) == expected)
        #expect(try Self.inflate(raw.output, coding: .deflate, pieceSize: 64) == expected)
    }

    @Test func corruptInputIs400() throws {
        var compressed = try GzipCompressor.gzip(Self.text)
        compressed[20] ^= 0xFF
        compressed[21] ^= 0xFF
        do {
            _ = try Self.inflate(compressed, coding: .gzip, pieceSize: 4096)
            Issue.record("corrupt body accepted")
        } catch let error as HTTPError {
            #expect(error.status.code == 400)
        }
    }
}

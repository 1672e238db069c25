import CZlib

/// Streaming gzip compression through zlib's deflate.
///
/// The `z_stream` lives on the heap: zlib keeps a pointer back to it and refuses a stream
/// that moved. Not thread-safe; one compressor per response, used by one task.
public final class GzipCompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private var finished = false

    init(level: Int32 = 5) throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 window bits + 16 = gzip wrapper; memLevel 8 is zlib's default.
        let status = czlib_deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY)
        guard status == Z_OK else {
            stream.deallocate()
            throw HTTPError(.internalServerError, detail: "zlib deflateInit2 failed (\(status))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }

    /// Compresses `input`; with `flush` the output ends on a byte boundary the client can
    /// decode up to (Z_SYNC_FLUSH), so a streamed response shows each write promptly.
    func compress(_ input: [UInt8], flush: Bool) -> [UInt8] {
        run(input, mode: flush ? Z_SYNC_FLUSH : Z_NO_FLUSH)
    }

    /// Compresses whatever is left and writes the gzip trailer (CRC and length).
    func finish() -> [UInt8] {
        guard !finished else { return [] }
        finished = true
        return run([], mode: Z_FINISH)
    }

    /// One-shot gzip of a whole body (responses here; `sluice write --gzip` uploads).
    public static func gzip(_ input: [UInt8], level: Int32 = 5) throws -> [UInt8] {
        let compressor = try GzipCompressor(level: level)
        let out = compressor.run(input, mode: Z_FINISH)
        compressor.finished = true
        return out
    }

    private func run(_ input: [UInt8], mode: Int32) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(input.count))) + 64)
        var produced = 0
        input.withUnsafeBytes { inRaw in
            stream.pointee.next_in = UnsafeMutablePointer(mutating: inRaw.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(inRaw.count)
            while true {
                if produced == output.count { output.append(contentsOf: repeatElement(0, count: max(4096, output.count / 2))) }
                let status = output.withUnsafeMutableBytes { outRaw -> Int32 in
                    stream.pointee.next_out = outRaw.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
                    stream.pointee.avail_out = uInt(outRaw.count - produced)
                    let status = deflate(stream, mode)
                    produced = outRaw.count - Int(stream.pointee.avail_out)
                    return status
                }
                if status == Z_STREAM_END { break }
                if status != Z_OK && status != Z_BUF_ERROR { break }
                if stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { break }
            }
            stream.pointee.next_in = nil
        }
        output.removeSubrange(produced...)
        return output
    }
}

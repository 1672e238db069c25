/// Chunked transfer coding (RFC 9112 §7.1) for response bodies: a size line before each
/// piece of data, CRLF after it, and a last chunk with optional trailer fields.
enum ChunkedEncoder {
    /// `<hex size>\r\n` for a chunk of `size` bytes.
    static func header(size: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(18)
        let hex = Array("0123456789abcdef".utf8)
        var shift = (Int.bitWidth - size.leadingZeroBitCount + 3) / 4 * 4 - 4
        if size == 0 { shift = 0 }
        while shift >= 0 {
            out.append(hex[(size >> shift) & 15])
            shift -= 4
        }
        out.append(contentsOf: [ByteClass.cr, ByteClass.lf])
        return out
    }

    static let crlf: [UInt8] = [ByteClass.cr, ByteClass.lf]

    /// A chunk's framing around `data`: the segments to queue, without copying `data`.
    static func frame(_ data: [UInt8]) -> [[UInt8]] {
        [header(size: data.count), data, crlf]
    }

    /// The last chunk, trailer fields and the final CRLF. Trailer names and values are
    /// validated like header fields.
    static func lastChunk(trailers: HTTPHeaders) throws -> [UInt8] {
        var out: [UInt8] = Array("0\r\n".utf8)
        for field in trailers.fields {
            try ResponseHeadEncoder.appendValidated(field.name, field.value, to: &out)
        }
        out.append(contentsOf: crlf)
        return out
    }
}

import CZlib

/// Streaming decompression of a `Content-Encoding: gzip` or `deflate` request body, with
/// the size and ratio limits that stop a decompression bomb (413).
///
/// Output comes in bounded pieces: one compressed chunk may inflate to far more than it
/// holds, so `inflate(maxOutput:)` is called until it returns nothing, then fed more input.
final class BodyInflater {
    enum Coding: String { case gzip, deflate }

    private let stream: UnsafeMutablePointer<z_stream>
    private var pendingInput: [UInt8] = []
    private var pendingOffset = 0
    private(set) var isFinished = false
    private(set) var compressedBytes = 0
    private(set) var inflatedBytes = 0
    private let maxInflated: BodyLimit
    private let maxRatio: Int
    private let coding: Coding
    private var triedRawDeflate = false

    init(coding: Coding, maxInflated: BodyLimit, maxRatio: Int) throws {
        self.coding = coding
        self.maxInflated = maxInflated
        self.maxRatio = maxRatio
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // gzip: 15 + 16 (gzip wrapper); deflate: 15 (zlib wrapper, RFC 9110 §8.4.1.2).
        guard czlib_inflateInit2(stream, coding == .gzip ? 15 + 16 : 15) == Z_OK else {
            stream.deallocate()
            throw HTTPError(.internalServerError, detail: "zlib inflateInit2 failed")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    var needsInput: Bool { pendingOffset >= pendingInput.count }

    func feed(_ bytes: [UInt8]) {
        pendingInput = bytes
        pendingOffset = 0
        compressedBytes += bytes.count
    }

    /// Inflates buffered input into at most `maxOutput` bytes; empty when more input is needed
    /// or the stream ended.
    func inflate(maxOutput: Int) throws -> [UInt8] {
        guard !isFinished, !needsInput else { return [] }
        var output = [UInt8](repeating: 0, count: maxOutput)
        var produced = 0
        var status: Int32 = Z_OK
        pendingInput.withUnsafeBytes { inRaw in
            output.withUnsafeMutableBytes { outRaw in
                stream.pointee.next_in = UnsafeMutablePointer(mutating: inRaw.baseAddress!.assumingMemoryBound(to: Bytef.self) + pendingOffset)
                stream.pointee.avail_in = uInt(inRaw.count - pendingOffset)
                stream.pointee.next_out = outRaw.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.pointee.avail_out = uInt(outRaw.count)
                status = CZlib.inflate(stream, Z_NO_FLUSH)
                produced = outRaw.count - Int(stream.pointee.avail_out)
                pendingOffset = inRaw.count - Int(stream.pointee.avail_in)
                stream.pointee.next_in = nil
                stream.pointee.next_out = nil
            }
        }
        if status == Z_DATA_ERROR, coding == .deflate, !triedRawDeflate, inflatedBytes == 0, produced == 0 {
            // Some clients send raw deflate without the zlib wrapper; retry once as raw.
            triedRawDeflate = true
            inflateEnd(stream)
            stream.initialize(to: z_stream())
            _ = czlib_inflateInit2(stream, -15)
            pendingOffset = 0
            return try inflate(maxOutput: maxOutput)
        }
        switch status {
        case Z_OK, Z_BUF_ERROR: break
        case Z_STREAM_END: isFinished = true
        default: throw HTTPError.badRequest("the \(coding.rawValue) request body is corrupt (zlib status \(status)) at compressed byte \(compressedBytes - (pendingInput.count - pendingOffset))")
        }
        inflatedBytes += produced
        if inflatedBytes > maxInflated.bytes {
            throw maxInflated.exceeded()
        }
        if inflatedBytes > 1 << 20, inflatedBytes / max(1, compressedBytes) > maxRatio {
            throw HTTPError(.contentTooLarge, detail: "the request body decompresses more than \(maxRatio) times its size")
        }
        output.removeSubrange(produced...)
        return output
    }
}

import Crypto
import HTTPServer

/// A request body as the upload decoders read it, hashed on the way: SHA-256 over the bytes
/// after content decoding, so an idempotent retry is recognised whatever its transfer or
/// content coding. The size limit is the engine's: the upload routes' body limit, which counts
/// a compressed body after decompression.
///
/// `@unchecked Sendable` guard: one consumer at a time. The decoder that owns it pulls every
/// chunk (from one task), and `digest` is read only after that pull returned nil.
final class UploadBody: @unchecked Sendable {
    private var chunks: HTTPRequestBody.AsyncIterator
    private var hasher = SHA256()
    /// Bytes read so far.
    private(set) var count = 0
    /// Whether the body has been read to its end.
    private(set) var isComplete = false

    init(_ body: HTTPRequestBody) {
        chunks = body.makeAsyncIterator()
    }

    /// The next chunk, or nil at the end.
    func next() async throws -> [UInt8]? {
        guard !isComplete else { return nil }
        guard let chunk = try await chunks.next() else {
            isComplete = true
            return nil
        }
        count += chunk.count
        hasher.update(data: chunk)
        return chunk
    }

    /// The rest of the body, in memory; `tooLarge` past `cap` bytes.
    func collect(cap: Int, tooLarge: @autoclosure () -> any Error) async throws -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = try await next() {
            guard all.count + chunk.count <= cap else { throw tooLarge() }
            all += chunk
        }
        return all
    }

    /// Reads and drops the rest of the body (it is still hashed).
    func drain() async throws {
        while try await next() != nil {}
    }

    /// SHA-256 (hex) of the whole body; only meaningful once `isComplete`.
    var digest: String { Hex.string(hasher.finalize()) }
}

import Crypto
import HTTPServer

/// A request body as the upload decoders read it, hashed on the way: SHA-256 over the bytes
/// after content decoding, so an idempotent retry is recognised whatever its transfer or
/// content coding, and counted against the upload limit (after decompression; the engine's
/// route limit counts the bytes on the wire).
///
/// `@unchecked Sendable` guard: one consumer at a time. The decoder that owns it pulls every
/// chunk (from one task), and `digest` is read only after that pull returned nil.
final class UploadBody: @unchecked Sendable {
    private var chunks: HTTPRequestBody.AsyncIterator
    private var hasher = SHA256()
    private let limit: Int
    /// Bytes read so far.
    private(set) var count = 0
    /// Whether the body has been read to its end.
    private(set) var isComplete = false

    init(_ body: HTTPRequestBody, limit: Int) {
        chunks = body.makeAsyncIterator()
        self.limit = limit
    }

    /// The next chunk, or nil at the end; 413 past the limit.
    func next() async throws -> [UInt8]? {
        guard !isComplete else { return nil }
        guard let chunk = try await chunks.next() else {
            isComplete = true
            return nil
        }
        count += chunk.count
        guard count <= limit else { throw UploadDecoding.tooLarge(limit) }
        hasher.update(data: chunk)
        return chunk
    }

    /// The rest of the body, in memory (413 past `cap` bytes, or past the limit).
    func collect(cap: Int) async throws -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = try await next() {
            guard all.count + chunk.count <= cap else { throw UploadDecoding.tooLarge(min(cap, limit)) }
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

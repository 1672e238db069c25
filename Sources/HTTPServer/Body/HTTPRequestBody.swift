/// Where a request body's bytes come from: the connection, one pull at a time.
protocol RequestBodySource: AnyObject, Sendable {
    /// The next piece of the (still encoded) body, or nil at its end.
    func nextBodyChunk() async throws -> [UInt8]?
    /// Trailer fields that came after the body (complete once the body ended).
    var bodyTrailers: HTTPHeaders { get }
}

/// A request body as an async sequence of byte chunks (up to 256 KiB each) that the handler
/// pulls: the connection reads the socket only while a `next()` is waiting, so a slow
/// handler slows the client down instead of filling memory. `Expect: 100-continue` is
/// answered on the first pull. A `Content-Encoding: gzip`/`deflate` body arrives inflated.
///
/// Errors are `HTTPError`s: 413 past the route's body limit or the decompression limits,
/// 400 for bad framing or a corrupt compressed body, 408 when the client stalls.
public struct HTTPRequestBody: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let source: (any RequestBodySource)?
    let coding: BodyInflater.Coding?
    let inflateLimits: (maxInflated: BodyLimit, maxRatio: Int, chunkSize: Int)

    /// A body with no bytes.
    public static let empty = HTTPRequestBody(source: nil, coding: nil, inflateLimits: (0, 0, 0))

    public func makeAsyncIterator() -> Iterator {
        Iterator(source: source, inflater: coding.flatMap {
            try? BodyInflater(coding: $0, maxInflated: inflateLimits.maxInflated, maxRatio: inflateLimits.maxRatio)
        }, chunkSize: inflateLimits.chunkSize)
    }

    /// The trailer fields of a chunked body. Complete once the body has been read to its
    /// end (a pull returned nil); empty before that and for bodies without trailers.
    public var trailers: HTTPHeaders {
        source?.bodyTrailers ?? HTTPHeaders()
    }

    /// The whole body in memory; 413 if it exceeds `limit` bytes (after decompression).
    public func collect(limit: Int) async throws -> [UInt8] {
        var all: [UInt8] = []
        for try await chunk in self {
            guard all.count + chunk.count <= limit else {
                throw BodyLimit(limit).exceeded()
            }
            all.append(contentsOf: chunk)
        }
        return all
    }

    public struct Iterator: AsyncIteratorProtocol {
        let source: (any RequestBodySource)?
        let inflater: BodyInflater?
        let chunkSize: Int
        private var ended = false

        init(source: (any RequestBodySource)?, inflater: BodyInflater?, chunkSize: Int) {
            self.source = source
            self.inflater = inflater
            self.chunkSize = chunkSize
        }

        public mutating func next() async throws -> [UInt8]? {
            guard let source, !ended else { return nil }
            guard let inflater else {
                let chunk = try await source.nextBodyChunk()
                if chunk == nil { ended = true }
                return chunk
            }
            while true {
                let out = try inflater.inflate(maxOutput: chunkSize)
                if !out.isEmpty { return out }
                guard let raw = try await source.nextBodyChunk() else {
                    ended = true
                    guard inflater.isFinished || inflater.compressedBytes == 0 else {
                        throw HTTPError.badRequest("the compressed request body ends before its compressed stream does")
                    }
                    return nil
                }
                if inflater.isFinished { continue }
                inflater.feed(raw)
            }
        }
    }
}

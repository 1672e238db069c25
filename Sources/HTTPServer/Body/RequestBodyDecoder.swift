/// Takes the body of the current request out of the connection's input bytes, according
/// to its framing: a byte count, or the chunked coding. Counts what it produced against the
/// route's body limit (413 past it).
struct RequestBodyDecoder {
    private enum Mode {
        case length(remaining: Int)
        case chunked(ChunkedDecoder)
    }

    private var mode: Mode
    private(set) var decodedBytes = 0
    let limit: BodyLimit

    init(framing: BodyFraming, limit: BodyLimit) {
        self.limit = limit
        switch framing {
        case .none: mode = .length(remaining: 0)
        case .length(let n): mode = .length(remaining: n)
        case .chunked: mode = .chunked(ChunkedDecoder())
        }
    }

    /// An already finished body (requests without one).
    static let empty = RequestBodyDecoder(framing: .none, limit: 0)

    var isComplete: Bool {
        switch mode {
        case .length(let remaining): return remaining == 0
        case .chunked(let decoder): return decoder.isComplete
        }
    }

    /// Bytes still expected when the length is known (nil for chunked).
    var remainingLength: Int? {
        if case .length(let remaining) = mode { return remaining }
        return nil
    }

    var trailers: HTTPHeaders {
        if case .chunked(let decoder) = mode { return decoder.trailers }
        return HTTPHeaders()
    }

    /// Consumes body bytes (and framing) from `input`, at most `maxData` data bytes, passing
    /// each run of data to `emit`. Returns the input bytes consumed.
    mutating func decode(_ input: UnsafeRawBufferPointer, maxData: Int, emit: (UnsafeRawBufferPointer) -> Void) throws -> Int {
        let consumed: Int
        let before = decodedBytes
        switch mode {
        case .length(let remaining):
            let n = min(remaining, input.count, maxData)
            if n > 0 { emit(UnsafeRawBufferPointer(rebasing: input[0..<n])) }
            mode = .length(remaining: remaining - n)
            decodedBytes += n
            consumed = n
        case .chunked(var decoder):
            consumed = try decoder.decode(input, maxData: maxData, emit: emit)
            decodedBytes = decoder.decodedBytes
            mode = .chunked(decoder)
        }
        if decodedBytes > limit.bytes, decodedBytes > before {
            throw limit.exceeded()
        }
        return consumed
    }

    /// Decodes up to `maxData` bytes into a new array (one copy out of the input buffer).
    mutating func take(from input: UnsafeRawBufferPointer, maxData: Int) throws -> (chunk: [UInt8], consumed: Int) {
        var chunk: [UInt8] = []
        chunk.reserveCapacity(min(input.count, maxData))
        let consumed = try decode(input, maxData: maxData) { chunk.append(contentsOf: $0) }
        return (chunk, consumed)
    }
}

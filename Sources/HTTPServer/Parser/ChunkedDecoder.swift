/// Decodes a chunked request body (RFC 9112 §7.1) incrementally: framing bytes are checked
/// one at a time, data runs are handed out in bulk without copying.
///
/// Strict: a chunk size is 1–15 hex digits (more overflows → 400), extensions are skipped
/// but must not contain control characters, every line ends in CRLF, and trailer fields
/// follow the header field rules. Trailers are collected into `trailers`.
struct ChunkedDecoder {
    private enum State {
        case size, sizeExtension, sizeLF, data, dataCR, dataLF
        case trailerStart, trailerLine, trailerLF, finalLF, done
    }

    private var state = State.size
    private var chunkSize = 0
    private var sizeDigits = 0
    private var lineLength = 0
    private var trailerLine: [UInt8] = []
    private var trailerBytes = 0
    private(set) var trailers = HTTPHeaders()
    /// Bytes of data decoded so far.
    private(set) var decodedBytes = 0

    /// Limit on one chunk-size line (with extensions) and on all trailers together.
    let maxLineLength: Int
    let maxTrailerBytes: Int

    init(maxLineLength: Int = 4096, maxTrailerBytes: Int = 65536) {
        self.maxLineLength = maxLineLength
        self.maxTrailerBytes = maxTrailerBytes
    }

    var isComplete: Bool { state == .done }

    /// Consumes framing and up to `maxData` data bytes from `input`, passing each data run to
    /// `emit`. Returns how many input bytes were consumed; stops early at `maxData` or at
    /// the end of the body (bytes after it belong to the next request).
    mutating func decode(_ input: UnsafeRawBufferPointer, maxData: Int, emit: (UnsafeRawBufferPointer) -> Void) throws -> Int {
        var i = 0
        var produced = 0
        while i < input.count, state != .done {
            if state == .data {
                let n = min(chunkSize, input.count - i, maxData - produced)
                if n == 0 { break }
                emit(UnsafeRawBufferPointer(rebasing: input[i..<(i + n)]))
                i += n
                produced += n
                chunkSize -= n
                decodedBytes += n
                if chunkSize == 0 { state = .dataCR }
                continue
            }
            try step(input[i])
            i += 1
        }
        return i
    }

    private mutating func step(_ b: UInt8) throws {
        switch state {
        case .size:
            if let digit = ByteClass.hexValue(b) {
                sizeDigits += 1
                guard sizeDigits <= 15 else { throw HTTPError.badRequest("chunk size overflows (more than 15 hex digits)") }
                chunkSize = chunkSize << 4 | digit
            } else if sizeDigits > 0, b == UInt8(ascii: ";") || b == ByteClass.space || b == ByteClass.tab {
                state = .sizeExtension
            } else if sizeDigits > 0, b == ByteClass.cr {
                state = .sizeLF
            } else {
                throw HTTPError.badRequest("invalid chunk size at body byte \(decodedBytes): unexpected 0x\(String(b, radix: 16))")
            }
            lineLength += 1
        case .sizeExtension:
            lineLength += 1
            guard lineLength <= maxLineLength else { throw HTTPError.badRequest("chunk extension longer than \(maxLineLength) bytes") }
            if b == ByteClass.cr { state = .sizeLF } else if !ByteClass.isFieldValueChar(b) {
                throw HTTPError.badRequest("control character in a chunk extension")
            }
        case .sizeLF:
            guard b == ByteClass.lf else { throw HTTPError.badRequest("chunk size line without CRLF") }
            state = chunkSize == 0 ? .trailerStart : .data
            sizeDigits = 0
            lineLength = 0
        case .dataCR:
            guard b == ByteClass.cr else { throw HTTPError.badRequest("chunk data longer than its size (no CRLF after it)") }
            state = .dataLF
        case .dataLF:
            guard b == ByteClass.lf else { throw HTTPError.badRequest("chunk data not followed by CRLF") }
            state = .size
        case .trailerStart:
            if b == ByteClass.cr { state = .finalLF } else {
                trailerLine.removeAll(keepingCapacity: true)
                trailerLine.append(b)
                state = .trailerLine
                try countTrailerByte()
            }
        case .trailerLine:
            if b == ByteClass.cr { state = .trailerLF } else {
                trailerLine.append(b)
                try countTrailerByte()
            }
        case .trailerLF:
            guard b == ByteClass.lf else { throw HTTPError.badRequest("bare CR in a trailer field") }
            let field = try trailerLine.withUnsafeBytes { try HeaderFieldParser.parse($0, lineNumber: trailers.count + 1) }
            trailers.fields.append(field)
            state = .trailerStart
        case .finalLF:
            guard b == ByteClass.lf else { throw HTTPError.badRequest("chunked body does not end with CRLF") }
            state = .done
        case .data, .done:
            break
        }
    }

    private mutating func countTrailerByte() throws {
        trailerBytes += 1
        guard trailerBytes <= maxTrailerBytes else {
            throw HTTPError(.requestHeaderFieldsTooLarge, detail: "trailer fields larger than \(maxTrailerBytes) bytes")
        }
    }
}

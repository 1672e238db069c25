#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the end of a request head in bytes that arrive in pieces, enforcing the line and
/// size limits as it goes, so that an oversized head is refused as soon as it crosses a
/// limit instead of being buffered.
///
/// The scanner remembers how far it looked: calling `scan` again after more bytes arrived
/// continues where it stopped, so any split of the head across reads costs one pass.
/// Offsets are relative to the start of the unconsumed input.
struct RequestHeadScanner {
    enum Outcome: Equatable {
        case needMore
        /// The head occupies `start..<end` (end includes the blank line); `start` skips
        /// empty lines before the request line, which RFC 9112 §2.2 lets a server ignore.
        case complete(start: Int, end: Int)
    }

    let limits: HeadLimits
    private var scanned = 0
    private var lineStart = 0
    private var headStart = 0
    private var lineCount = 0
    private var requestLineEnd = 0

    init(limits: HeadLimits) { self.limits = limits }

    /// True once any byte of the current head was seen (for the header timeout).
    var hasStarted: Bool { scanned > 0 }

    mutating func reset() {
        scanned = 0
        lineStart = 0
        headStart = 0
        lineCount = 0
        requestLineEnd = 0
    }

    mutating func scan(_ bytes: UnsafeRawBufferPointer) throws -> Outcome {
        guard let base = bytes.baseAddress else { return .needMore }
        while scanned < bytes.count {
            guard let found = memchr(base + scanned, Int32(ByteClass.lf), bytes.count - scanned) else {
                scanned = bytes.count
                break
            }
            let lf = UnsafeRawPointer(found) - base
            scanned = lf + 1
            guard lf > lineStart, bytes[lf - 1] == ByteClass.cr else {
                throw HTTPError.badRequest("line \(lineCount + 1) of the request head ends in a bare LF")
            }
            let length = lf - 1 - lineStart
            if length == 0 {
                if lineCount == 0 {
                    lineStart = scanned
                    headStart = scanned
                    continue
                }
                return .complete(start: headStart, end: scanned)
            }
            try check(lineLength: length)
            lineCount += 1
            lineStart = scanned
            if lineCount == 1 { requestLineEnd = scanned }
            if lineCount - 1 > limits.maxHeaderCount {
                throw HTTPError(.requestHeaderFieldsTooLarge, detail: "more than \(limits.maxHeaderCount) header fields")
            }
        }
        try check(lineLength: scanned - lineStart)
        return .needMore
    }

    private func check(lineLength: Int) throws {
        if lineCount == 0 {
            if lineLength > limits.maxRequestLine {
                throw HTTPError(.uriTooLong, detail: "the request line is longer than \(limits.maxRequestLine) bytes")
            }
            return
        }
        if lineLength > limits.maxHeaderLine {
            throw HTTPError(.requestHeaderFieldsTooLarge, detail: "header line \(lineCount) is longer than \(limits.maxHeaderLine) bytes")
        }
        if scanned - requestLineEnd > limits.maxHeaderBytes {
            throw HTTPError(.requestHeaderFieldsTooLarge, detail: "the header fields are larger than \(limits.maxHeaderBytes) bytes in all")
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the lines a split owns, in large chunks that end on line boundaries.
///
/// A split `range` of a file owns every line that starts inside it: the line at offset 0 and
/// each line after a `\n`. So it skips the partial line it begins in (the previous split owns
/// it) and reads past its end to finish its last line. The splits of a file therefore yield
/// every line exactly once. Each chunk holds whole lines, with their `\n` except perhaps the
/// file's last line; a line longer than the buffer grows it. Memory stays at one buffer.
final class LineAlignedChunkReader {
    struct Chunk {
        /// The byte offset of `bytes` in the file.
        let offset: Int
        /// Valid until the next call to `next()`.
        let bytes: UnsafeRawBufferPointer
    }

    let file: ReadableFile
    let range: Range<Int>
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    /// The file offset of `buffer[0]`, and how many bytes from there are loaded.
    private var bufferStart: Int
    private var buffered = 0
    private var reachedEOF = false
    /// The next owned line's offset; nil until the split's first line is found.
    private var position: Int?
    private var finished = false

    init(file: ReadableFile, range: Range<Int>, chunkBytes: Int = 1 << 20) {
        self.file = file
        self.range = range
        capacity = max(chunkBytes, 16)
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        bufferStart = range.lowerBound
    }

    deinit { buffer.deallocate() }

    /// The next run of owned lines, or nil when the split is done.
    func next() throws -> Chunk? {
        if finished { return nil }
        if position == nil { position = try firstLineStart() }
        let start = position!
        guard start < range.upperBound, start < file.size else { finished = true; return nil }
        keepBuffer(from: start)
        while true {
            try fill()
            let loaded = UnsafeRawBufferPointer(start: buffer, count: buffered)
            // The newline that ends the split's last line: the first at or after `end - 1`.
            let lastLineSearch = range.upperBound - 1 - bufferStart
            if lastLineSearch < buffered, let end = firstNewline(in: loaded, from: lastLineSearch) {
                finished = true
                return Chunk(offset: start, bytes: UnsafeRawBufferPointer(rebasing: loaded[..<(end + 1)]))
            }
            if let end = lastNewline(in: loaded) {
                position = bufferStart + end + 1
                return Chunk(offset: start, bytes: UnsafeRawBufferPointer(rebasing: loaded[..<(end + 1)]))
            }
            if reachedEOF {
                finished = true
                return buffered == 0 ? nil : Chunk(offset: start, bytes: loaded)
            }
            grow()
        }
    }

    /// The offset of the first line starting at or after `range.lowerBound`.
    private func firstLineStart() throws -> Int {
        if range.lowerBound == 0 { return 0 }
        bufferStart = range.lowerBound - 1
        buffered = 0
        while true {
            try fill()
            let loaded = UnsafeRawBufferPointer(start: buffer, count: buffered)
            if let newline = firstNewline(in: loaded, from: 0) { return bufferStart + newline + 1 }
            if reachedEOF { return file.size }
            bufferStart += buffered
            buffered = 0
            // A line that started before this split runs past its end: nothing is owned.
            if bufferStart >= range.upperBound { return range.upperBound }
        }
    }

    /// Drops loaded bytes before `offset`, keeping the rest at the front of the buffer.
    private func keepBuffer(from offset: Int) {
        let skip = offset - bufferStart
        if skip >= buffered || skip < 0 {
            buffered = 0
        } else if skip > 0 {
            memmove(buffer, buffer + skip, buffered - skip)
            buffered -= skip
        }
        bufferStart = offset
    }

    private func fill() throws {
        let wanted = capacity - buffered
        guard wanted > 0, !reachedEOF else { return }
        let n = try file.read(into: buffer + buffered, count: wanted, at: bufferStart + buffered)
        buffered += n
        if n < wanted { reachedEOF = true }
    }

    private func grow() {
        let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
        bigger.copyMemory(from: buffer, byteCount: buffered)
        buffer.deallocate()
        buffer = bigger
        capacity *= 2
    }
}

func firstNewline(in bytes: UnsafeRawBufferPointer, from index: Int) -> Int? {
    guard index < bytes.count, let base = bytes.baseAddress,
          let hit = memchr(base + index, Int32(UInt8(ascii: "\n")), bytes.count - index)
    else { return nil }
    return base.distance(to: UnsafeRawPointer(hit))
}

func lastNewline(in bytes: UnsafeRawBufferPointer) -> Int? {
    var i = bytes.count - 1
    while i >= 0 {
        if bytes[i] == UInt8(ascii: "\n") { return i }
        i -= 1
    }
    return nil
}

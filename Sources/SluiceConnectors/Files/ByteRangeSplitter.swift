/// Plans the parallel splits of one file: byte ranges of at most `splitBytes` bytes that
/// cover the file. Ranges are cut by size alone, without reading the file; a reader then owns
/// every line that *starts* inside its range (`LineAlignedChunkReader`), so the ranges of a
/// file together yield each line exactly once, whatever the line lengths.
enum ByteRangeSplitter {
    static let defaultSplitBytes = 64 << 20

    /// One range for a file of at most `splitBytes` bytes (also for an empty file), else
    /// consecutive ranges of `splitBytes` bytes, the last one shorter.
    static func ranges(fileSize: Int, splitBytes: Int) -> [Range<Int>] {
        precondition(splitBytes > 0, "splitBytes must be positive")
        guard fileSize > splitBytes else { return [0..<fileSize] }
        return stride(from: 0, to: fileSize, by: splitBytes).map { $0..<min($0 + splitBytes, fileSize) }
    }
}

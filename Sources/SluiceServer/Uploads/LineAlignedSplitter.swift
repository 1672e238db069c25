/// Cuts a byte stream into pieces of whole lines: a piece ends at the last line end once
/// `pieceBytes` bytes or `batchRows` lines have gathered, and the rest waits for the next.
/// Each piece comes with the number of its first line.
///
/// A piece is the received chunks themselves (the last one cut at its line end), not a copy:
/// only the partial line after the cut is carried over.
struct LineAlignedSplitter {
    typealias Piece = (chunks: [ArraySlice<UInt8>], firstLine: Int)

    let pieceBytes: Int
    let batchRows: Int
    let maxLineLength: Int
    private var pending: [ArraySlice<UInt8>] = []
    private var pendingBytes = 0
    private var pendingLines = 0
    private var nextLine = 1

    init(pieceBytes: Int, batchRows: Int, maxLineLength: Int) {
        self.pieceBytes = pieceBytes
        self.batchRows = batchRows
        self.maxLineLength = maxLineLength
    }

    /// Adds a chunk (nil at the end of the input) and returns the piece now complete, if any.
    mutating func add(_ chunk: [UInt8]?) -> Piece? {
        guard let chunk else {
            defer { pending = []; pendingBytes = 0; pendingLines = 0 }
            return pendingBytes == 0 ? nil : (pending, nextLine)
        }
        guard !chunk.isEmpty else { return nil }
        pending.append(chunk[...])
        pendingBytes += chunk.count
        pendingLines += Self.lineEnds(in: chunk[...])
        guard pendingBytes >= pieceBytes || pendingLines >= batchRows else { return nil }
        return cut()
    }

    /// Ends the piece after the last line end (all pending lines go); a line longer than the
    /// limit goes to a decoder as it is, which reports it.
    private mutating func cut() -> Piece? {
        guard pendingLines > 0 else {
            guard pendingBytes > maxLineLength else { return nil }
            defer { pending = []; pendingBytes = 0 }
            return (pending, nextLine)
        }
        var piece = pending
        var rest: ArraySlice<UInt8> = []
        for index in piece.indices.reversed() {
            if let newline = piece[index].lastIndex(of: UInt8(ascii: "\n")) {
                rest = piece[index][(newline + 1)...]
                piece[index] = piece[index][...newline]
                piece.removeSubrange((index + 1)...)
                break
            }
            rest = piece[index] + rest
        }
        defer {
            nextLine += pendingLines
            pendingLines = 0
            pending = rest.isEmpty ? [] : [rest]
            pendingBytes = rest.count
        }
        return (piece, nextLine)
    }

    static func lineEnds(in bytes: ArraySlice<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var count = 0
            for byte in buffer { count &+= byte == UInt8(ascii: "\n") ? 1 : 0 }
            return count
        }
    }
}

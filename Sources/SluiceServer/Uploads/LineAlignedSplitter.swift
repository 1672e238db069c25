/// Cuts a byte stream into pieces of whole lines: a piece ends at the last line end once
/// `pieceBytes` bytes or `batchRows` lines have gathered, and the rest waits for the next.
/// Each piece comes with the number of its first line.
struct LineAlignedSplitter {
    let pieceBytes: Int
    let batchRows: Int
    let maxLineLength: Int
    private var pending: [UInt8] = []
    private var pendingLines = 0
    private var nextLine = 1

    init(pieceBytes: Int, batchRows: Int, maxLineLength: Int) {
        self.pieceBytes = pieceBytes
        self.batchRows = batchRows
        self.maxLineLength = maxLineLength
    }

    /// Adds a chunk (nil at the end of the input) and returns the pieces now complete.
    mutating func add(_ chunk: [UInt8]?) -> [(bytes: [UInt8], firstLine: Int)] {
        guard let chunk else {
            defer { pending = []; pendingLines = 0 }
            return pending.isEmpty ? [] : [(pending, nextLine)]
        }
        pending.append(contentsOf: chunk)
        pendingLines += Self.lineEnds(in: chunk)
        guard pending.count >= pieceBytes || pendingLines >= batchRows else { return [] }
        // Cut after the last line end; a line longer than the limit goes to a decoder as it
        // is, which reports it.
        guard let cut = pending.lastIndex(of: UInt8(ascii: "\n")).map({ $0 + 1 })
                ?? (pending.count > maxLineLength ? pending.count : nil) else { return [] }
        let piece = Array(pending[..<cut])
        pending.removeFirst(cut)
        let lines = Self.lineEnds(in: piece)
        pendingLines -= lines
        defer { nextLine += lines }
        return [(piece, nextLine)]
    }

    static func lineEnds(in bytes: [UInt8]) -> Int {
        bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    }
}

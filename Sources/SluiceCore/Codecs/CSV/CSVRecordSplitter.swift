/// One cell of a CSV record: its unquoted text in the splitter's scratch and where it
/// started in the input (for locating issues).
struct CSVCell {
    var textStart: Int
    var textEnd: Int
    var quoted: Bool
    var sourceOffset: Int
}

/// Splits CSV records into cells (RFC 4180): cells separated by `,`; a cell starting with
/// `"` is quoted, runs to the closing `"`, may hold `,` and line breaks, and writes a quote
/// as `""`. A quote inside an unquoted cell, or text after a closing quote, is an issue.
/// Also finds where a record ends (`frame`): the first line break outside quotes.
final class CSVRecordSplitter {
    private(set) var cells: [CSVCell] = []
    private let scratch = ByteScratch()

    /// The unquoted text of `cell`, valid until the next `split`.
    @inline(__always)
    func text(_ cell: CSVCell) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: scratch.bytes[cell.textStart..<cell.textEnd])
    }

    static func frame(_ bytes: UnsafeRawBufferPointer, from start: Int, atEOF: Bool) -> RecordFrame? {
        var inQuotes = false
        var breaks = 0
        var i = start
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if b == 0x0A {
                if !inQuotes {
                    let contentEnd = i > start && bytes[i - 1] == 0x0D ? i - 1 : i
                    return RecordFrame(contentEnd: contentEnd, next: i + 1, lineBreaks: breaks + 1)
                }
                breaks += 1
            }
            i += 1
        }
        guard atEOF else { return nil }
        let contentEnd = bytes.count > start && bytes[bytes.count - 1] == 0x0D ? bytes.count - 1 : bytes.count
        return RecordFrame(contentEnd: contentEnd, next: bytes.count, lineBreaks: breaks)
    }

    func split(_ record: RecordSpan, of bytes: UnsafeRawBufferPointer) throws {
        cells.removeAll(keepingCapacity: true)
        scratch.reset()
        let base = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var i = record.start
        let end = record.end
        while true {
            let cellStart = i
            let textStart = scratch.count
            var quoted = false
            if i < end, base[i] == UInt8(ascii: "\"") {
                quoted = true
                i += 1
                var closed = false
                while i < end {
                    let b = base[i]
                    if b == UInt8(ascii: "\"") {
                        if i + 1 < end, base[i + 1] == UInt8(ascii: "\"") {
                            scratch.append(b)
                            i += 2
                            continue
                        }
                        i += 1
                        closed = true
                        break
                    }
                    scratch.append(b)
                    i += 1
                }
                guard closed else { throw DecodeFailure(at: cellStart, "unterminated quoted field") }
                guard i == end || base[i] == UInt8(ascii: ",") else {
                    throw DecodeFailure(at: i, "expected ',' after a closing quote")
                }
            } else {
                let runStart = i
                while i < end, base[i] != UInt8(ascii: ",") {
                    if base[i] == UInt8(ascii: "\"") { throw DecodeFailure(at: i, "quote inside an unquoted field") }
                    i += 1
                }
                scratch.append(base + runStart, count: i - runStart)
            }
            cells.append(CSVCell(textStart: textStart, textEnd: scratch.count, quoted: quoted, sourceOffset: cellStart))
            if i >= end { return }
            i += 1  // the comma
        }
    }
}

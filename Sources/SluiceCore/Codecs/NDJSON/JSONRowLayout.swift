/// The two shapes of NDJSON decoder input: one object per line, or (for whole-input
/// decoding) a single JSON array of objects. Both the inference pass and the decoding pass
/// walk records through here, so they accept exactly the same syntax.
enum JSONRowLayout {
    case objectPerLine
    case arrayOfObjects

    /// Calls `row` once per object in `record`, the cursor at the object's `{`; `row` must
    /// consume the object.
    func forEachObject(
        in record: RecordSpan, of bytes: UnsafeRawBufferPointer, _ row: (inout JSONCursor) throws -> Void
    ) throws {
        var c = JSONCursor(bytes, from: record.start, to: record.end)
        c.skipWhitespace()
        switch self {
        case .objectPerLine:
            guard c.peek == UInt8(ascii: "{") else { throw c.failure("expected '{' to start a row") }
            try row(&c)
        case .arrayOfObjects:
            try c.expect(UInt8(ascii: "["), "'[' to start an array of objects")
            c.skipWhitespace()
            if c.peek == UInt8(ascii: "]") {
                c.pos += 1
            } else {
                while true {
                    c.skipWhitespace()
                    guard c.peek == UInt8(ascii: "{") else { throw c.failure("expected '{' to start a row") }
                    try row(&c)
                    if try !c.continues(until: UInt8(ascii: "]")) { break }
                }
            }
        }
        c.skipWhitespace()
        guard c.atEnd else { throw c.failure("expected the end of the \(self == .objectPerLine ? "line" : "input")") }
    }
}

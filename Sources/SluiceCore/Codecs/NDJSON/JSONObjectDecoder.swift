/// Decodes a JSON object against a list of fields: each key is matched to its field (keys
/// may come in any order), each value decoded into that field's builder, and every field
/// absent from the object gets a null (or is an issue when the field is not nullable).
/// Unknown and duplicate keys are issues. Serves both top-level rows and `Struct` values.
final class JSONObjectDecoder {
    let fields: [Field]
    let values: [JSONValueDecoder]
    /// `values` again, unretained (the array owns them), so the per-key call costs no
    /// retain/release.
    private let unretainedValues: UnsafeMutablePointer<Unmanaged<JSONValueDecoder>>
    private let names: FieldNameTable
    /// `seenStamps[i] == stamp` when field `i` was present in the current object (a raw
    /// buffer: an array would check uniqueness on every write).
    private let seenStamps: UnsafeMutablePointer<Int>
    @exclusivity(unchecked) private var stamp = 0

    init(fields: [Field], builders: [ColumnBuilder]) {
        self.fields = fields
        values = zip(fields, builders).map { JSONValueDecoder(type: $0.type, nullable: $0.nullable, builder: $1) }
        unretainedValues = .allocate(capacity: max(fields.count, 1))
        unretainedValues.initialize(from: values.map(Unmanaged.passUnretained), count: values.count)
        names = FieldNameTable(fields.map(\.name))
        seenStamps = .allocate(capacity: max(fields.count, 1))
        seenStamps.initialize(repeating: 0, count: max(fields.count, 1))
    }

    deinit {
        unretainedValues.deallocate()
        seenStamps.deallocate()
    }

    /// Decodes the object at the cursor (at its `{`), appending one value to every field.
    func decode(_ c: inout JSONCursor, _ scratch: ByteScratch, depth: Int) throws {
        guard depth <= JSONCursor.maxDepth else { throw DecodeFailure(at: c.pos, "nested deeper than \(JSONCursor.maxDepth) levels") }
        let objectStart = c.pos
        c.pos += 1
        stamp &+= 1
        var present = 0
        var hint = 0
        c.skipWhitespace()
        if c.peek == UInt8(ascii: "}") {
            c.pos += 1
        } else {
            while true {
                c.skipWhitespace()
                guard c.peek == UInt8(ascii: "\"") else { throw c.failure("expected a field name") }
                let keyStart = c.pos
                let i: Int
                let expectedLength = names.quotedLength(hint, at: c.base + keyStart + 1, available: c.end - keyStart - 1)
                if expectedLength > 0 {
                    i = hint
                    c.pos = keyStart + 1 + expectedLength
                } else {
                    let key = try c.readString(scratch)
                    guard let found = names.index(of: key, hint: hint) else {
                        throw DecodeFailure(at: keyStart, field: String(decoding: key, as: UTF8.self),
                                            "unknown field '\(String(decoding: key, as: UTF8.self))'")
                    }
                    i = found
                }
                guard seenStamps[i] != stamp else {
                    throw DecodeFailure(at: keyStart, field: fields[i].name, "duplicate field '\(fields[i].name)'")
                }
                seenStamps[i] = stamp
                present += 1
                hint = i + 1
                try c.expect(UInt8(ascii: ":"), "':' after a field name")
                do {
                    try unretainedValues[i]._withUnsafeGuaranteedRef { try $0.decode(&c, scratch, depth: depth) }
                } catch let failure as DecodeFailure {
                    throw failure.inField(fields[i].name)
                }
                if try !c.continues(until: UInt8(ascii: "}")) { break }
            }
        }
        if present < values.count { try fillMissing(objectStart: objectStart) }
    }

    private func fillMissing(objectStart: Int) throws {
        for i in fields.indices where seenStamps[i] != stamp {
            guard fields[i].nullable else {
                throw DecodeFailure(at: objectStart, field: fields[i].name, "missing non-nullable field '\(fields[i].name)'")
            }
            values[i].builder.appendNull()
        }
    }
}

/// Writes one column's cells as JSON values straight into an output buffer. Built once per
/// batch and column: the switch on the column's type happens here, so the per-row work is
/// one call into a closure specialised for the storage (typed array captured, no boxing).
///
/// Forms: null `null`; integers exact; floats shortest round-trip (Float32 as a Float),
/// non-finite floats `null`; strings escaped; Binary base64; Date and Timestamp ISO 8601
/// strings (see `ISO8601`); List an array; Struct an object with keys in field order.
struct JSONColumnWriter {
    /// An upper bound of the bytes `write` produces for rows `range` (for reserving).
    let bound: (Range<Int>) -> Int
    /// Writes row `r`'s value at `p`; returns the end.
    let write: (_ r: Int, _ p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>

    private init(
        bound: @escaping (Range<Int>) -> Int,
        write: @escaping (Int, UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>
    ) {
        self.bound = bound
        self.write = write
    }

    init(_ column: Column) {
        let values = Self.valueWriter(column)
        guard let validity = column.validity else {
            self = values
            return
        }
        self.init(
            bound: { values.bound($0) + 4 * $0.count },
            write: { r, p in validity[r] ? values.write(r, p) : writeNull(p) }
        )
    }

    /// The writer of the column's values, ignoring validity.
    private static func valueWriter(_ column: Column) -> JSONColumnWriter {
        switch (column.type, column.storage) {
        case (_, .null):
            return JSONColumnWriter(bound: { 4 * $0.count }, write: { _, p in writeNull(p) })
        case let (_, .bool(v)):
            return JSONColumnWriter(bound: { 5 * $0.count }, write: { r, p in
                v[r] ? copy("true", to: p) : copy("false", to: p)
            })
        case let (.date, .int(v)):
            return quoted(maxLength: ISO8601.maxDateLength) { r, p in ISO8601.writeDate(v[r], to: p) }
        case let (.timestamp(unit, zone), .int(v)):
            let style = ISO8601.ZoneStyle(timezone: zone)
            return quoted(maxLength: ISO8601.maxTimestampLength) { r, p in
                ISO8601.writeTimestamp(v[r], unit: unit, zone: style, to: p)
            }
        case let (_, .int(v)):
            return JSONColumnWriter(bound: { DecimalText.maxLength * $0.count }, write: { r, p in DecimalText.write(v[r], to: p) })
        case let (_, .uint(v)):
            return JSONColumnWriter(bound: { DecimalText.maxLength * $0.count }, write: { r, p in DecimalText.write(v[r], to: p) })
        case let (type, .float(v)):
            let float32 = type == .float32
            return JSONColumnWriter(bound: { FloatText.maxLength * $0.count }, write: { r, p in
                let x = v[r]
                return x.isFinite ? FloatText.write(x, float32: float32, to: p) : writeNull(p)
            })
        case let (.binary, .bytes(b)):
            return JSONColumnWriter(
                bound: { 2 * (b.offsets[$0.upperBound] - b.offsets[$0.lowerBound]) + 6 * $0.count },
                write: { r, p in
                    p[0] = UInt8(ascii: "\"")
                    let q = b.bytes.withUnsafeBytes { Base64.write(UnsafeRawBufferPointer(rebasing: $0[b.range(at: r)]), to: p + 1) }
                    q[0] = UInt8(ascii: "\"")
                    return q + 1
                })
        case let (_, .bytes(b)):
            return JSONColumnWriter(
                bound: { JSONStringEscaper.bound(byteCount: b.offsets[$0.upperBound] - b.offsets[$0.lowerBound]) + 2 * $0.count },
                write: { r, p in
                    b.offsets.withUnsafeBufferPointer { offsets in
                        b.bytes.withUnsafeBytes { bytes in
                            JSONStringEscaper.write(UnsafeRawBufferPointer(rebasing: bytes[offsets[r]..<offsets[r &+ 1]]), to: p)
                        }
                    }
                })
        case let (_, .list(offsets, child)):
            let element = JSONColumnWriter(child)
            return JSONColumnWriter(
                bound: { rows in
                    let children = offsets[rows.lowerBound]..<offsets[rows.upperBound]
                    return 2 * rows.count + children.count + element.bound(children)
                },
                write: { r, p in
                    p[0] = UInt8(ascii: "[")
                    var q = p + 1
                    let end = offsets[r + 1]
                    var i = offsets[r]
                    while i < end {
                        q = element.write(i, q)
                        i += 1
                        if i < end { q[0] = UInt8(ascii: ","); q += 1 }
                    }
                    q[0] = UInt8(ascii: "]")
                    return q + 1
                })
        case let (.structure(fields), .structure(children)):
            let object = JSONObjectWriter(keys: JSONObjectKeys(fields.map(\.name)), columns: children)
            return JSONColumnWriter(bound: object.bound, write: object.write)
        default:
            preconditionFailure("storage \(column.storage.physical) does not fit \(column.type)")
        }
    }

    /// A writer of `"<text>"` for text of at most `maxLength` bytes.
    private static func quoted(
        maxLength: Int, _ text: @escaping (Int, UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8>
    ) -> JSONColumnWriter {
        JSONColumnWriter(bound: { (maxLength + 2) * $0.count }, write: { r, p in
            p[0] = UInt8(ascii: "\"")
            let q = text(r, p + 1)
            q[0] = UInt8(ascii: "\"")
            return q + 1
        })
    }
}

@inline(__always)
func writeNull(_ p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> { copy("null", to: p) }

@inline(__always)
func copy(_ text: StaticString, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
    p.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
    return p + text.utf8CodeUnitCount
}

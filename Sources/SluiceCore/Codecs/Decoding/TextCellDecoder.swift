/// Decodes scalar values written as text (CSV cells; JSON strings for `Binary`, `Date` and
/// `Timestamp`) into a `ColumnBuilder`. Forms: integers in decimal, floats as decimal text or
/// `NaN`/`inf`/`-inf`, booleans `true`/`false` (any case; also 1/0 in a signed integer column), strings as UTF-8, binary as base64,
/// dates and timestamps as ISO 8601 (see `ISO8601`).
enum TextCellDecoder {
    /// Appends `text` as a `type` value; returns the problem when the text is not one.
    /// `List` and `Struct` are not scalars and are not handled here.
    static func append(
        _ text: UnsafeRawBufferPointer, as type: DataType, to builder: ColumnBuilder, binaryScratch: ByteScratch
    ) -> String? {
        switch type {
        case .int8, .int16, .int32, .int64:
            // true/false as 1/0: SQLite's convention for booleans.
            guard let v = DecimalText.parseInt64(text) ?? parseBool(text).map({ $0 ? 1 : 0 }) else {
                return notA(type, text, integer: true)
            }
            guard type.signedRange!.contains(v) else { return "\(v) is out of range for \(type)" }
            builder.append(int: v)
        case .uint8, .uint16, .uint32, .uint64:
            guard let v = DecimalText.parseUInt64(text) else { return notA(type, text, integer: true) }
            guard v <= type.unsignedMax! else { return "\(v) is out of range for \(type)" }
            builder.append(uint: v)
        case .float32, .float64:
            guard let v = FloatText.parse(text) else { return notA(type, text) }
            builder.append(float: type == .float32 ? Double(Float(v)) : v)
        case .bool:
            guard let v = parseBool(text) else { return notA(type, text) }
            builder.append(bool: v)
        case .string:
            if let bad = UTF8Validation.firstInvalidOffset(text) { return "invalid UTF-8 at byte \(bad + 1) of the value" }
            builder.append(utf8: text)
        case .binary:
            guard Base64.decode(text, into: binaryScratch) else { return "expected base64 for Binary, found \(quoted(text))" }
            builder.append(utf8: binaryScratch.bytes)
        case .date:
            guard let days = ISO8601.parseDate(text), type.signedRange!.contains(days) else {
                return "expected an ISO 8601 date (YYYY-MM-DD), found \(quoted(text))"
            }
            builder.append(int: days)
        case let .timestamp(unit, _):
            guard let ticks = ISO8601.parseTimestamp(text, unit: unit) else {
                return "expected an ISO 8601 timestamp for \(type), found \(quoted(text))"
            }
            builder.append(int: ticks)
        case .null:
            return "expected Null, found \(quoted(text))"
        case .list, .structure:
            preconditionFailure("\(type) is not a scalar type")
        }
        return nil
    }

    /// `true`/`false` in any case.
    static func parseBool(_ text: UnsafeRawBufferPointer) -> Bool? {
        guard text.count == 4 || text.count == 5 else { return nil }
        var lower: [UInt8] = []
        for b in text { lower.append(b | 0x20) }
        if lower == Array("true".utf8) { return true }
        if lower == Array("false".utf8) { return false }
        return nil
    }

    private static func notA(_ type: DataType, _ text: UnsafeRawBufferPointer, integer: Bool = false) -> String {
        if integer, FloatText.parse(text) != nil {
            return "expected \(type), found a number with a fraction or exponent \(quoted(text))"
        }
        return "expected \(type), found \(quoted(text))"
    }

    /// The text for a message, shortened to 40 bytes.
    static func quoted(_ text: UnsafeRawBufferPointer) -> String {
        let shown = String(decoding: text.prefix(40), as: UTF8.self)
        return "'" + shown + (text.count > 40 ? "...'" : "'")
    }
}

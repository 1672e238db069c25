/// Reads Daft display names back into `DataType`s: `Int64`, `Timestamp[us; UTC]`,
/// `List[Struct[a: Int64, b: List[String]]]`. Names are case-sensitive as displayed; a few
/// common aliases (`Utf8`, `Boolean`, `Float`, `Double`) are accepted on input.
extension DataType {
    public init(parsing text: String) throws {
        var parser = DataTypeParser(Array(text.utf8))
        let type = try parser.parseType()
        parser.skipSpaces()
        guard parser.atEnd else { throw parser.error("unexpected text after the type") }
        self = type
    }
}

private struct DataTypeParser {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }

    func error(_ message: String) -> SchemaError {
        SchemaError("invalid type '\(String(decoding: bytes, as: UTF8.self))' at position \(index + 1): \(message)")
    }

    mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
    }

    mutating func expect(_ byte: UInt8) throws {
        skipSpaces()
        guard index < bytes.count, bytes[index] == byte else {
            throw error("expected '\(Character(Unicode.Scalar(byte)))'")
        }
        index += 1
    }

    /// Reads up to (not including) any of `stops`, trimmed.
    mutating func word(until stops: Set<UInt8>) -> String {
        skipSpaces()
        let start = index
        while index < bytes.count, !stops.contains(bytes[index]) { index += 1 }
        var end = index
        while end > start, bytes[end - 1] == UInt8(ascii: " ") { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    static let nameStops: Set<UInt8> = Set("[],;: ".utf8)

    mutating func parseType() throws -> DataType {
        let name = word(until: Self.nameStops)
        switch name {
        case "Null": return .null
        case "Bool", "Boolean": return .bool
        case "Int8": return .int8
        case "Int16": return .int16
        case "Int32": return .int32
        case "Int64": return .int64
        case "UInt8": return .uint8
        case "UInt16": return .uint16
        case "UInt32": return .uint32
        case "UInt64": return .uint64
        case "Float32", "Float": return .float32
        case "Float64", "Double": return .float64
        case "String", "Utf8": return .string
        case "Binary": return .binary
        case "Date": return .date
        case "Timestamp":
            try expect(UInt8(ascii: "["))
            let unitText = word(until: Set("];".utf8))
            guard let unit = DataType.TimeUnit(rawValue: unitText) else {
                throw error("unknown time unit '\(unitText)' (s, ms, us, ns)")
            }
            var zone: String?
            skipSpaces()
            if index < bytes.count, bytes[index] == UInt8(ascii: ";") {
                index += 1
                let z = word(until: Set("]".utf8))
                guard !z.isEmpty else { throw error("empty time zone") }
                zone = z
            }
            try expect(UInt8(ascii: "]"))
            return .timestamp(unit: unit, timezone: zone)
        case "List":
            try expect(UInt8(ascii: "["))
            let inner = try parseType()
            try expect(UInt8(ascii: "]"))
            return .list(inner)
        case "Struct":
            try expect(UInt8(ascii: "["))
            var fields: [Field] = []
            skipSpaces()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .structure(fields)
            }
            while true {
                let fieldName = word(until: Set(":[]".utf8))
                guard !fieldName.isEmpty else { throw error("expected a field name") }
                try expect(UInt8(ascii: ":"))
                fields.append(Field(fieldName, try parseType()))
                skipSpaces()
                guard index < bytes.count else { throw error("expected ',' or ']'") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                try expect(UInt8(ascii: "]"))
                return .structure(fields)
            }
        case "":
            throw error("expected a type name")
        default:
            throw error("unknown type '\(name)'")
        }
    }
}

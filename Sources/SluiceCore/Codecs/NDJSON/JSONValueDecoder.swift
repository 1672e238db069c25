/// Decodes JSON values of one declared type straight into a `ColumnBuilder`, validating and
/// coercing where no information is lost:
/// - an integer fits any integer column whose range holds it, and any float column;
/// - `true`/`false` fit a signed integer column as 1/0 (SQLite's convention for booleans);
/// - a number with a fraction or exponent does not fit an integer column, even `1.0`
///   (accepting it would hide producers that send floats where integers belong);
/// - a string holding ISO 8601 text fits `Date` and `Timestamp` (see `ISO8601`), a string
///   holding base64 fits `Binary`;
/// - `null` fits a nullable field (list elements are always nullable).
/// Failures name what was expected and what was found ("expected Int64, found string").
final class JSONValueDecoder {
    private enum Kind {
        case null, bool, string, binary, date
        case signed(ClosedRange<Int64>)
        case unsigned(UInt64)
        case float(isFloat32: Bool)
        case timestamp(DataType.TimeUnit)
        case list
        case structure
    }

    let type: DataType
    let builder: ColumnBuilder
    let nullable: Bool
    private let kind: Kind
    /// The element decoder of a List, the object decoder of a Struct.
    private let element: JSONValueDecoder?
    private let object: JSONObjectDecoder?
    /// The same, unretained (the properties above own them): the per-value path then costs
    /// no retain/release.
    private let unretainedElement: Unmanaged<JSONValueDecoder>?
    private let unretainedObject: Unmanaged<JSONObjectDecoder>?
    /// Decoded base64 of `Binary` values (strings themselves are read into the caller's scratch).
    private lazy var binaryScratch = ByteScratch()

    init(type: DataType, nullable: Bool, builder: ColumnBuilder) {
        self.type = type
        self.nullable = nullable
        self.builder = builder
        var element: JSONValueDecoder?
        var object: JSONObjectDecoder?
        switch type {
        case .null: kind = .null
        case .bool: kind = .bool
        case .int8, .int16, .int32, .int64: kind = .signed(type.signedRange!)
        case .uint8, .uint16, .uint32, .uint64: kind = .unsigned(type.unsignedMax!)
        case .float32: kind = .float(isFloat32: true)
        case .float64: kind = .float(isFloat32: false)
        case .string: kind = .string
        case .binary: kind = .binary
        case .date: kind = .date
        case let .timestamp(unit, _): kind = .timestamp(unit)
        case .list(let elementType):
            kind = .list
            element = JSONValueDecoder(type: elementType, nullable: true, builder: builder.listChild!)
        case .structure(let fields):
            kind = .structure
            object = JSONObjectDecoder(fields: fields, builders: builder.fieldBuilders)
        }
        self.element = element
        self.object = object
        unretainedElement = element.map(Unmanaged.passUnretained)
        unretainedObject = object.map(Unmanaged.passUnretained)
    }

    /// Decodes the value at the cursor (whitespace skipped) and appends it.
    @inline(__always)
    func decode(_ c: inout JSONCursor, _ scratch: ByteScratch, depth: Int) throws {
        c.skipWhitespace()
        let first = c.peek
        if first == UInt8(ascii: "n") {
            let start = c.pos
            _ = try c.readLiteral()
            guard nullable else { throw DecodeFailure(at: start, "null in a non-nullable field") }
            builder.appendNull()
            return
        }
        switch kind {
        case let .signed(range):
            guard first == UInt8(ascii: "-") || first &- 48 < 10 else {
                // Not a number: only true/false fit (as 1/0), checked off the numbers' path.
                guard first == UInt8(ascii: "t") || first == UInt8(ascii: "f"), let bool = try? c.readLiteral() else { throw mismatch(c) }
                builder.append(int: bool ? 1 : 0)
                return
            }
            let n = try c.readNumber()
            guard n.isInteger else { throw DecodeFailure(at: n.start, "expected \(type), found a number with a fraction or exponent") }
            guard let v = n.int64, range.contains(v) else { throw outOfRange(n, c) }
            builder.append(int: v)
        case let .unsigned(max):
            guard first == UInt8(ascii: "-") || first &- 48 < 10 else { throw mismatch(c) }
            let n = try c.readNumber()
            guard n.isInteger else { throw DecodeFailure(at: n.start, "expected \(type), found a number with a fraction or exponent") }
            guard let v = n.uint64, v <= max else { throw outOfRange(n, c) }
            builder.append(uint: v)
        case let .float(isFloat32):
            guard first == UInt8(ascii: "-") || first &- 48 < 10 else { throw mismatch(c) }
            let n = try c.readNumber()
            let v = n.double(c)
            if isFloat32 {
                let f = Float(v)
                guard f.isFinite else { throw outOfRange(n, c) }
                builder.append(float: Double(f))
            } else {
                guard v.isFinite else { throw outOfRange(n, c) }
                builder.append(float: v)
            }
        case .string:
            guard first == UInt8(ascii: "\"") else { throw mismatch(c) }
            builder.append(utf8: try c.readString(scratch))
        case .bool:
            guard first == UInt8(ascii: "t") || first == UInt8(ascii: "f") else { throw mismatch(c) }
            builder.append(bool: try c.readLiteral()!)
        case .binary, .date, .timestamp:
            guard first == UInt8(ascii: "\"") else { throw mismatch(c) }
            let start = c.pos
            let text = try c.readString(scratch)
            if let message = TextCellDecoder.append(text, as: type, to: builder, binaryScratch: binaryScratch) {
                throw DecodeFailure(at: start, message)
            }
        case .list:
            let element = unretainedElement!
            guard first == UInt8(ascii: "[") else { throw mismatch(c) }
            guard depth < JSONCursor.maxDepth else { throw DecodeFailure(at: c.pos, "nested deeper than \(JSONCursor.maxDepth) levels") }
            c.pos += 1
            c.skipWhitespace()
            if c.peek == UInt8(ascii: "]") {
                c.pos += 1
            } else {
                while true {
                    try element._withUnsafeGuaranteedRef { try $0.decode(&c, scratch, depth: depth + 1) }
                    if try !c.continues(until: UInt8(ascii: "]")) { break }
                }
            }
            builder.endList()
        case .structure:
            guard first == UInt8(ascii: "{") else { throw mismatch(c) }
            try unretainedObject!._withUnsafeGuaranteedRef { try $0.decode(&c, scratch, depth: depth + 1) }
            builder.endStruct()
        case .null:
            throw mismatch(c)
        }
    }

    private func mismatch(_ c: JSONCursor) -> DecodeFailure { c.failure("expected \(type)") }

    private func outOfRange(_ n: JSONNumber, _ c: JSONCursor) -> DecodeFailure {
        let text = String(decoding: UnsafeRawBufferPointer(start: c.base + n.start, count: n.end - n.start), as: UTF8.self)
        return DecodeFailure(at: n.start, "\(text) is out of range for \(type)")
    }
}

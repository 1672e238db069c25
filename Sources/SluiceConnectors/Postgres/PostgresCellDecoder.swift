import PostgresNIO
import SluiceCore

/// Decodes cells of PostgreSQL's binary wire format straight into a `ColumnBuilder`: big-
/// endian integers and float bits, raw bytes for text and bytea, days and microseconds
/// counted from 2000-01-01 for dates and timestamps, and one-dimensional arrays.
indirect enum PostgresCellDecoder: Sendable {
    case bool, int16, int32, int64, float32, float64, bytes, date, timestamp
    case array(PostgresCellDecoder)

    /// Days from 1970-01-01 to 2000-01-01, PostgreSQL's epoch.
    static let epochDays: Int64 = 10_957
    static let epochMicros: Int64 = 946_684_800_000_000

    struct Malformed: Error {
        let message: String
    }

    /// Appends the cell (`nil` is SQL NULL).
    func decode(_ cell: ByteBuffer?, into builder: ColumnBuilder) throws {
        guard var buffer = cell else { builder.appendNull(); return }
        try decodeValue(&buffer, into: builder)
    }

    private func decodeValue(_ buffer: inout ByteBuffer, into builder: ColumnBuilder) throws {
        switch self {
        case .bool: builder.append(bool: try read(&buffer, UInt8.self) != 0)
        case .int16: builder.append(int: Int64(try read(&buffer, Int16.self)))
        case .int32: builder.append(int: Int64(try read(&buffer, Int32.self)))
        case .int64: builder.append(int: try read(&buffer, Int64.self))
        case .float32: builder.append(float: Double(Float(bitPattern: try read(&buffer, UInt32.self))))
        case .float64: builder.append(float: Double(bitPattern: try read(&buffer, UInt64.self)))
        case .bytes: buffer.withUnsafeReadableBytes { builder.append(utf8: $0) }
        case .date:
            let days = try read(&buffer, Int32.self)
            guard days != Int32.max, days != Int32.min else { throw Malformed(message: "an infinite date has no Sluice value") }
            builder.append(int: Int64(days) + Self.epochDays)
        case .timestamp:
            let micros = try read(&buffer, Int64.self)
            guard micros != Int64.max, micros != Int64.min else { throw Malformed(message: "an infinite timestamp has no Sluice value") }
            builder.append(int: micros + Self.epochMicros)
        case let .array(element):
            try decodeArray(&buffer, element: element, into: builder)
        }
    }

    /// Header: dimensions, has-nulls flag, element OID, then per dimension its length and
    /// lower bound; then each element as a 4-byte length (-1 for NULL) and its bytes.
    private func decodeArray(_ buffer: inout ByteBuffer, element: PostgresCellDecoder, into builder: ColumnBuilder) throws {
        let dimensions = try read(&buffer, Int32.self)
        _ = try read(&buffer, Int32.self)
        _ = try read(&buffer, UInt32.self)
        builder.beginList()
        if dimensions > 1 { throw Malformed(message: "arrays of \(dimensions) dimensions are not read (one only)") }
        if dimensions == 1 {
            let count = try read(&buffer, Int32.self)
            _ = try read(&buffer, Int32.self)
            let child = builder.listChild!
            for _ in 0..<count {
                let length = try read(&buffer, Int32.self)
                if length < 0 { child.appendNull(); continue }
                guard var item = buffer.readSlice(length: Int(length)) else { throw Malformed(message: "a truncated array") }
                try element.decodeValue(&item, into: child)
            }
        }
        builder.endList()
    }

    private func read<T: FixedWidthInteger>(_ buffer: inout ByteBuffer, _: T.Type) throws -> T {
        guard let value = buffer.readInteger(as: T.self) else { throw Malformed(message: "a truncated \(T.self) value") }
        return value
    }
}

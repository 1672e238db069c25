/// A column's logical type, named as Daft displays it.
///
/// `description` gives the display name (`Int64`, `Timestamp[us; UTC]`, `List[String]`,
/// `Struct[a: Int64, b: String]`) and `DataType(parsing:)` reads it back, nested types included.
public indirect enum DataType: Hashable, Sendable {
    case null
    case bool
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case float32, float64
    case string
    case binary
    /// Days since 1970-01-01.
    case date
    /// Ticks of `unit` since the Unix epoch; `timezone` nil means a naive (zone-less) timestamp.
    case timestamp(unit: TimeUnit, timezone: String?)
    case list(DataType)
    case structure([Field])

    /// The unit of a timestamp's ticks.
    public enum TimeUnit: String, Hashable, Sendable, CaseIterable {
        case seconds = "s", milliseconds = "ms", microseconds = "us", nanoseconds = "ns"

        /// Ticks in one second.
        public var ticksPerSecond: Int64 {
            switch self {
            case .seconds: return 1
            case .milliseconds: return 1_000
            case .microseconds: return 1_000_000
            case .nanoseconds: return 1_000_000_000
            }
        }
    }

    /// How a column of this type is stored (see `ColumnStorage`).
    public var physical: PhysicalType {
        switch self {
        case .null: return .null
        case .bool: return .bool
        case .int8, .int16, .int32, .int64, .date, .timestamp: return .int
        case .uint8, .uint16, .uint32, .uint64: return .uint
        case .float32, .float64: return .float
        case .string, .binary: return .bytes
        case .list: return .list
        case .structure: return .structure
        }
    }

    /// The physical storage kinds; several logical types share one.
    public enum PhysicalType: Sendable { case null, bool, int, uint, float, bytes, list, structure }

    /// Inclusive range of a signed integer type (Int64's for date and timestamp).
    public var signedRange: ClosedRange<Int64>? {
        switch self {
        case .int8: return Int64(Int8.min)...Int64(Int8.max)
        case .int16: return Int64(Int16.min)...Int64(Int16.max)
        case .int32: return Int64(Int32.min)...Int64(Int32.max)
        case .int64, .timestamp: return Int64.min...Int64.max
        case .date: return Int64(Int32.min)...Int64(Int32.max)
        default: return nil
        }
    }

    /// Largest value of an unsigned integer type.
    public var unsignedMax: UInt64? {
        switch self {
        case .uint8: return UInt64(UInt8.max)
        case .uint16: return UInt64(UInt16.max)
        case .uint32: return UInt64(UInt32.max)
        case .uint64: return UInt64.max
        default: return nil
        }
    }

    public var isNumeric: Bool {
        switch physical {
        case .int: return self != .date && !isTimestamp
        case .uint, .float: return true
        default: return false
        }
    }

    public var isTimestamp: Bool {
        if case .timestamp = self { return true }
        return false
    }

    /// The timestamp type Sluice infers and uses by default: microseconds, UTC.
    public static let timestampUTC = DataType.timestamp(unit: .microseconds, timezone: "UTC")
}

extension DataType: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: return "Null"
        case .bool: return "Bool"
        case .int8: return "Int8"
        case .int16: return "Int16"
        case .int32: return "Int32"
        case .int64: return "Int64"
        case .uint8: return "UInt8"
        case .uint16: return "UInt16"
        case .uint32: return "UInt32"
        case .uint64: return "UInt64"
        case .float32: return "Float32"
        case .float64: return "Float64"
        case .string: return "String"
        case .binary: return "Binary"
        case .date: return "Date"
        case let .timestamp(unit, zone):
            return zone.map { "Timestamp[\(unit.rawValue); \($0)]" } ?? "Timestamp[\(unit.rawValue)]"
        case let .list(inner): return "List[\(inner)]"
        case let .structure(fields):
            return "Struct[" + fields.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + "]"
        }
    }
}

extension DataType: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try DataType(parsing: text)
        } catch let error as SchemaError {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

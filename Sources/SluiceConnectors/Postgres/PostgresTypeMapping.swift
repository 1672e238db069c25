import PostgresNIO
import SluiceCore

/// PostgreSQL column types ↔ Sluice types.
///
/// Reading: bool → Bool; int2/int4/int8 → Int16/Int32/Int64; float4/float8 →
/// Float32/Float64; numeric → String (exact text) or Float64 (option `numeric: float64`);
/// text/varchar/bpchar/name → String; bytea → Binary; date → Date; timestamp →
/// Timestamp[us]; timestamptz → Timestamp[us; UTC]; json/jsonb → String; one-dimensional
/// arrays of those scalars → List[T]; any other type → String, as PostgreSQL prints it.
/// Types read as text are cast in the SELECT list (`"c"::text`), the rest are decoded from
/// the binary wire format (`PostgresCellDecoder`).
///
/// Writing (a target the sink creates): the reverse; unsigned integers widen (UInt64 →
/// numeric(20)), Null → text, lists of scalars → arrays, structs and nested lists → jsonb.
enum PostgresTypeMapping {
    /// How one result column is read.
    struct ReadColumn: Sendable {
        let type: DataType
        let decoder: PostgresCellDecoder
        /// The SELECT expression cast, e.g. `::text`, or empty.
        let cast: String
        /// Whether SQL compares its values as Sluice does (may take pushed-down filters).
        let comparable: Bool
    }

    static func readColumn(oid: PostgresDataType, numericAsFloat: Bool) -> ReadColumn {
        if let scalar = scalar(oid) {
            return ReadColumn(type: scalar.0, decoder: scalar.1, cast: "", comparable: oid != .bpchar && oid != .name)
        }
        if let element = oid.arrayElement, let scalar = scalar(element) {
            return ReadColumn(type: .list(scalar.0), decoder: .array(scalar.1), cast: "", comparable: false)
        }
        if oid == .numeric && numericAsFloat {
            return ReadColumn(type: .float64, decoder: .float64, cast: "::float8", comparable: false)
        }
        return ReadColumn(type: .string, decoder: .bytes, cast: "::text", comparable: false)
    }

    private static func scalar(_ oid: PostgresDataType) -> (DataType, PostgresCellDecoder)? {
        switch oid {
        case .bool: return (.bool, .bool)
        case .int2: return (.int16, .int16)
        case .int4: return (.int32, .int32)
        case .int8: return (.int64, .int64)
        case .float4: return (.float32, .float32)
        case .float8: return (.float64, .float64)
        case .text, .varchar, .bpchar, .name: return (.string, .bytes)
        case .bytea: return (.binary, .bytes)
        case .date: return (.date, .date)
        case .timestamp: return (.timestamp(unit: .microseconds, timezone: nil), .timestamp)
        case .timestamptz: return (.timestampUTC, .timestamp)
        default: return nil
        }
    }

    /// The column type a sink creates for `type`.
    static func columnType(for type: DataType) -> String {
        switch type {
        case .null, .string: return "text"
        case .bool: return "boolean"
        case .int8, .int16, .uint8: return "smallint"
        case .int32, .uint16: return "integer"
        case .int64, .uint32: return "bigint"
        case .uint64: return "numeric(20)"
        case .float32: return "real"
        case .float64: return "double precision"
        case .binary: return "bytea"
        case .date: return "date"
        case let .timestamp(_, zone): return zone == nil ? "timestamp" : "timestamptz"
        case let .list(inner):
            switch inner {
            case .list, .structure, .null: return "jsonb"
            default: return columnType(for: inner) + "[]"
            }
        case .structure: return "jsonb"
        }
    }
}

extension PostgresDataType {
    /// The element type of the one-dimensional array types Sluice reads.
    var arrayElement: PostgresDataType? {
        switch self {
        case .boolArray: return .bool
        case .int2Array: return .int2
        case .int4Array: return .int4
        case .int8Array: return .int8
        case .float4Array: return .float4
        case .float8Array: return .float8
        case .textArray: return .text
        case .varcharArray: return .varchar
        case .byteaArray: return .bytea
        case .dateArray: return .date
        case .timestampArray: return .timestamp
        case .timestamptzArray: return .timestamptz
        default: return nil
        }
    }
}

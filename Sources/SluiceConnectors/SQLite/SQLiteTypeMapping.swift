import SluiceCore
import Foundation

/// Sluice types ↔ SQLite declared column types.
///
/// Reading: the declared type decides, by SQLite's affinity rules with a few exact names
/// first: `BOOLEAN`/`BOOL` → Bool; `TINYINT` → Int8; `SMALLINT`/`INT2` → Int16;
/// `INT4`/`MEDIUMINT` → Int32; other names containing `INT` → Int64; `FLOAT4` → Float32;
/// `REAL`/`FLOA`/`DOUB` and NUMERIC affinity (`NUMERIC`, `DECIMAL`) → Float64; `DATE` →
/// Date; `DATETIME`/`TIMESTAMP` → Timestamp[us]; `TIMESTAMPTZ` → Timestamp[us; UTC];
/// `CHAR`/`CLOB`/`TEXT`/`JSON` → String; `BLOB` → Binary; no declared type (an expression in
/// a query) → from the first row's storage class, String when it is NULL.
///
/// Writing: the reverse, so what a sink creates reads back as the same types. Unsigned
/// integers are stored as INTEGER (UInt64 up to Int64.max) and read back as Int64; dates and
/// timestamps as ISO 8601 text; lists and structs as JSON text (declared `JSON`, read back as
/// String); Null-typed columns without a type.
enum SQLiteTypeMapping {
    static func sluiceType(declared: String?) -> DataType? {
        guard let declared, !declared.isEmpty else { return nil }
        let name = declared.uppercased()
        let base = name.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? name
        switch base {
        case "BOOLEAN", "BOOL": return .bool
        case "TINYINT", "INT1": return .int8
        case "SMALLINT", "INT2": return .int16
        case "INT4", "MEDIUMINT": return .int32
        case "FLOAT4": return .float32
        case "DATE": return .date
        case "DATETIME", "TIMESTAMP": return .timestamp(unit: .microseconds, timezone: nil)
        case "TIMESTAMPTZ": return .timestampUTC
        case "JSON", "JSONB": return .string
        default: break
        }
        if name.contains("INT") { return .int64 }
        if name.contains("CHAR") || name.contains("CLOB") || name.contains("TEXT") { return .string }
        if name.contains("BLOB") { return .binary }
        return .float64 // REAL and NUMERIC affinity
    }

    /// The type of an undeclared column from a cell's storage class.
    static func sluiceType(storageClass: Int32) -> DataType {
        switch storageClass {
        case 1: return .int64   // SQLITE_INTEGER
        case 2: return .float64 // SQLITE_FLOAT
        case 4: return .binary  // SQLITE_BLOB
        default: return .string
        }
    }

    /// The declared type a sink gives a column of `type`.
    static func declaredType(for type: DataType) -> String {
        switch type {
        case .null: return ""
        case .bool: return "BOOLEAN"
        case .int8: return "TINYINT"
        case .int16: return "SMALLINT"
        case .int32: return "INT4"
        case .int64, .uint8, .uint16, .uint32, .uint64: return "INTEGER"
        case .float32: return "FLOAT4"
        case .float64: return "REAL"
        case .string: return "TEXT"
        case .binary: return "BLOB"
        case .date: return "DATE"
        case let .timestamp(_, zone): return zone == nil ? "TIMESTAMP" : "TIMESTAMPTZ"
        case .list, .structure: return "JSON"
        }
    }

    /// Whether values of `type` can go into a column that reads as `columnType`.
    static func fits(_ type: DataType, into columnType: DataType?) -> Bool {
        guard let columnType else { return true }
        if type == .null || type == columnType { return true }
        switch (type.physical, columnType.physical) {
        case (.int, .int), (.uint, .int): return type.isNumeric && columnType.isNumeric
        case (.int, .float), (.uint, .float), (.float, .float): return type.isNumeric
        case (.list, .bytes), (.structure, .bytes): return columnType == .string
        default: return type.isTimestamp && columnType.isTimestamp
        }
    }
}

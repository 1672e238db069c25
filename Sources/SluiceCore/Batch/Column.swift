/// One column of a `RecordBatch`: typed storage plus validity.
///
/// Logical types share a few physical layouts (`ColumnStorage`): every signed integer, `Date`
/// (days) and `Timestamp` (ticks) are `Int64`s, unsigned integers `UInt64`s, floats `Double`s,
/// strings and binary `ByteArrays`. A null cell holds a placeholder (0, empty) in storage and
/// `false` in `validity`; `validity == nil` means no nulls.
public struct Column: Hashable, Sendable {
    public let type: DataType
    public internal(set) var storage: ColumnStorage
    /// `nil` when every cell is valid; otherwise one flag per row, `false` for null.
    public internal(set) var validity: [Bool]?

    /// Wraps storage; the storage must match `type.physical` and `validity` its length.
    public init(type: DataType, storage: ColumnStorage, validity: [Bool]? = nil) {
        precondition(storage.physical == type.physical, "storage \(storage.physical) does not fit \(type)")
        precondition(validity == nil || validity!.count == storage.count, "validity length differs from storage")
        self.type = type
        self.storage = storage
        self.validity = validity.flatMap { $0.contains(false) ? $0 : nil }
    }

    public var count: Int { storage.count }

    public var nullCount: Int { validity.map { $0.reduce(0) { $0 + ($1 ? 0 : 1) } } ?? 0 }

    @inline(__always)
    public func isNull(_ row: Int) -> Bool {
        if let validity { return !validity[row] }
        return false
    }

    /// The cell at `row`, boxed (not for row paths).
    public func value(at row: Int) -> Value {
        if isNull(row) { return .null }
        switch storage {
        case .null: return .null
        case let .bool(v): return .bool(v[row])
        case let .int(v):
            switch type {
            case .date: return .date(v[row])
            case .timestamp: return .timestamp(v[row])
            default: return .int(v[row])
            }
        case let .uint(v): return .uint(v[row])
        case let .float(v): return .float(v[row])
        case let .bytes(b): return type == .binary ? .binary(Array(b[row])) : .string(b.string(at: row))
        case let .list(offsets, child):
            return .list((offsets[row]..<offsets[row + 1]).map { child.value(at: $0) })
        case let .structure(children):
            return .structure(children.map { $0.value(at: row) })
        }
    }

    /// Rows `range` as a new column.
    public func slice(_ range: Range<Int>) -> Column {
        Column(type: type, storage: storage.slice(range), validity: validity.map { Array($0[range]) })
    }

    /// Rows at `indices`, in that order.
    public func gather(_ indices: [Int]) -> Column {
        Column(type: type, storage: storage.gather(indices), validity: validity.map { v in indices.map { v[$0] } })
    }

    /// An all-null column of `count` rows.
    public static func nulls(_ type: DataType, count: Int) -> Column {
        let builder = ColumnBuilder(type)
        for _ in 0..<count { builder.appendNull() }
        return builder.build()
    }

    /// Concatenates columns of the same type.
    public static func concatenate(_ columns: [Column]) -> Column {
        guard let first = columns.first else { preconditionFailure("nothing to concatenate") }
        if columns.count == 1 { return first }
        let storage = ColumnStorage.concatenate(columns.map(\.storage))
        var validity: [Bool]?
        if columns.contains(where: { $0.validity != nil }) {
            validity = columns.flatMap { $0.validity ?? Array(repeating: true, count: $0.count) }
        }
        return Column(type: first.type, storage: storage, validity: validity)
    }

    /// Approximate bytes held (storage plus validity).
    public var byteSize: Int { storage.byteSize + (validity?.count ?? 0) }
}

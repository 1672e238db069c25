/// One cell, boxed. For building small batches from rows (tests, finalize summaries, options)
/// and reading single cells; never used on row paths, where codecs write straight into
/// `ColumnBuilder`s and read typed column storage.
public indirect enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Double)
    case string(String)
    case binary([UInt8])
    /// Days since 1970-01-01.
    case date(Int64)
    /// Ticks in the column's unit since the epoch.
    case timestamp(Int64)
    case list([Value])
    /// Field values in the struct type's field order.
    case structure([Value])

    public var isNull: Bool { self == .null }
}

extension Value: ExpressibleByIntegerLiteral, ExpressibleByStringLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByFloatLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral
{
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .float(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
}

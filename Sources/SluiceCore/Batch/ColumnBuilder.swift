/// Appends cells of one type and builds a `Column`. Codecs call the typed appends
/// (`append(int:)`, `append(utf8:)`, ...) directly; `append(_ value:)` checks a boxed value
/// against the type and is for rows built by hand.
///
/// Typed appends do not range-check: the caller has checked the value fits `type`
/// (`DataType.signedRange`, `unsignedMax`). A list cell is `beginList()`, appends to
/// `listChild`, then `endList()`; a struct cell appends one value to each of `fieldBuilders`.
public final class ColumnBuilder {
    public let type: DataType
    // Appends are the decoders' innermost operation; the builder is never accessed
    // re-entrantly, so the runtime exclusivity checks on these properties are switched off.
    @exclusivity(unchecked) public private(set) var count = 0
    @exclusivity(unchecked) private var validity: [Bool]?
    @exclusivity(unchecked) private var bools: [Bool] = []
    @exclusivity(unchecked) private var ints: [Int64] = []
    @exclusivity(unchecked) private var uints: [UInt64] = []
    @exclusivity(unchecked) private var floats: [Double] = []
    @exclusivity(unchecked) private var bytes = ByteArrays()
    @exclusivity(unchecked) private var listOffsets: [Int] = [0]
    /// The element builder of a `List` column.
    public let listChild: ColumnBuilder?
    /// One builder per field of a `Struct` column.
    public let fieldBuilders: [ColumnBuilder]

    public init(_ type: DataType, capacity: Int = 0) {
        self.type = type
        switch type {
        case let .list(inner):
            listChild = ColumnBuilder(inner)
            fieldBuilders = []
            listOffsets.reserveCapacity(capacity + 1)
        case let .structure(fields):
            listChild = nil
            fieldBuilders = fields.map { ColumnBuilder($0.type, capacity: capacity) }
        default:
            listChild = nil
            fieldBuilders = []
        }
        switch type.physical {
        case .bool: bools.reserveCapacity(capacity)
        case .int: ints.reserveCapacity(capacity)
        case .uint: uints.reserveCapacity(capacity)
        case .float: floats.reserveCapacity(capacity)
        default: break
        }
    }

    @inline(__always) private func markValid() {
        if validity != nil { validity!.append(true) }
        count += 1
    }

    public func appendNull() {
        if validity == nil { validity = Array(repeating: true, count: count) }
        validity!.append(false)
        count += 1
        switch type.physical {
        case .null: break
        case .bool: bools.append(false)
        case .int: ints.append(0)
        case .uint: uints.append(0)
        case .float: floats.append(0)
        case .bytes: bytes.appendEmpty()
        case .list: listOffsets.append(listOffsets.last!)
        case .structure: for b in fieldBuilders { b.appendNull() }
        }
    }

    @inline(__always) public func append(bool v: Bool) { bools.append(v); markValid() }
    @inline(__always) public func append(int v: Int64) { ints.append(v); markValid() }
    @inline(__always) public func append(uint v: UInt64) { uints.append(v); markValid() }
    @inline(__always) public func append(float v: Double) { floats.append(v); markValid() }
    @inline(__always) public func append(utf8 v: UnsafeRawBufferPointer) { bytes.append(v); markValid() }
    public func append(string v: String) { bytes.append(string: v); markValid() }
    public func append(bytes v: [UInt8]) { bytes.append(v); markValid() }

    /// Starts a list cell; append its elements to `listChild`, then call `endList()`.
    @inline(__always) public func beginList() {}
    @inline(__always) public func endList() { listOffsets.append(listChild!.count); markValid() }
    /// Ends a struct cell after one value was appended to every field builder.
    @inline(__always) public func endStruct() { markValid() }

    /// Appends a boxed value, checking it against the type (ints are range-checked, an int
    /// fits a float column, a string does not fit an int column).
    public func append(_ value: Value) throws {
        switch (value, type) {
        case (.null, _): appendNull()
        case let (.bool(b), .bool): append(bool: b)
        case let (.int(i), _) where type.physical == .int && type != .date && !type.isTimestamp:
            guard type.signedRange!.contains(i) else { throw SchemaError("\(i) is out of range for \(type)") }
            append(int: i)
        case let (.int(i), _) where type.physical == .uint:
            guard i >= 0, UInt64(i) <= type.unsignedMax! else { throw SchemaError("\(i) is out of range for \(type)") }
            append(uint: UInt64(i))
        case let (.uint(u), _) where type.physical == .uint:
            guard u <= type.unsignedMax! else { throw SchemaError("\(u) is out of range for \(type)") }
            append(uint: u)
        case let (.uint(u), _) where type.physical == .int && type != .date && !type.isTimestamp:
            guard u <= UInt64(type.signedRange!.upperBound) else { throw SchemaError("\(u) is out of range for \(type)") }
            append(int: Int64(u))
        case let (.int(i), .float32), let (.int(i), .float64): append(float: Double(i))
        case let (.uint(u), .float32), let (.uint(u), .float64): append(float: Double(u))
        case let (.float(f), .float32), let (.float(f), .float64): append(float: f)
        case let (.string(s), .string): append(string: s)
        case let (.binary(b), .binary): append(bytes: b)
        case let (.date(d), .date): append(int: d)
        case let (.timestamp(t), .timestamp): append(int: t)
        case let (.list(items), .list):
            for item in items { try listChild!.append(item) }
            endList()
        case let (.structure(values), .structure(fields)):
            guard values.count == fields.count else {
                throw SchemaError("a struct value has \(values.count) fields, \(type) has \(fields.count)")
            }
            for (builder, v) in zip(fieldBuilders, values) { try builder.append(v) }
            endStruct()
        default:
            throw SchemaError("\(value) does not fit \(type)")
        }
    }

    /// Builds the column and resets the builder for reuse.
    public func build() -> Column {
        let storage: ColumnStorage
        switch type.physical {
        case .null: storage = .null(count: count)
        case .bool: storage = .bool(bools); bools = []
        case .int: storage = .int(ints); ints = []
        case .uint: storage = .uint(uints); uints = []
        case .float: storage = .float(floats); floats = []
        case .bytes: storage = .bytes(bytes); bytes = ByteArrays()
        case .list: storage = .list(offsets: listOffsets, child: listChild!.build()); listOffsets = [0]
        case .structure: storage = .structure(fieldBuilders.map { $0.build() })
        }
        let column = Column(type: type, storage: storage, validity: validity)
        validity = nil
        count = 0
        return column
    }
}

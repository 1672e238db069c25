/// An expression resolved against a schema: columns checked and typed, literals converted to
/// the physical form they are compared in (a date literal is already days, a timestamp
/// literal ticks in the column's unit). Built by `ExpressionBinder`, evaluated a column at a
/// time by `PredicateEvaluator`.
indirect enum BoundPredicate: Sendable {
    /// A Bool column or literal used as a condition.
    case value(BoundOperand)
    case compare(Expression.ComparisonOperator, BoundOperand, BoundOperand)
    case and(BoundPredicate, BoundPredicate)
    case or(BoundPredicate, BoundPredicate)
    case not(BoundPredicate)
    case isNull(BoundOperand, negated: Bool)
    /// True when any part is true, false when all are false, else unknown: an n-ary OR,
    /// which is how `x IN (a, b)` binds (`x = a OR x = b`, SQL's meaning, nulls included).
    case anyOf([BoundPredicate])
    /// `column IN (many literals)` as one hash lookup per row instead of one pass per item;
    /// `listHasNull` turns every miss into unknown, as the OR of equalities would.
    case memberOf(BoundOperand, ValueSet, listHasNull: Bool)
}

/// Where one side of a comparison comes from.
indirect enum BoundOperand: Sendable {
    /// A column read from each batch by name; the batch's column must have `type`.
    case column(name: String, type: DataType)
    /// A literal, prepared once as a one-row vector that broadcasts over any batch.
    case constant(OperandVector)
    /// A condition used as a Bool value (`(a > 1) = b`).
    case condition(BoundPredicate)
}

/// The values of one operand over a batch in their physical layout, with validity. A
/// broadcast vector holds one value standing for every row (a literal); kernels read row
/// `i` at index `i * stride`, which is 0 for a broadcast, so one loop serves both.
struct OperandVector: Sendable {
    enum Values: Sendable {
        /// Every row is null (the literal NULL).
        case null
        case bool([Bool])
        case int([Int64])
        case uint([UInt64])
        case float([Double])
        case bytes(ByteArrays)
    }

    let values: Values
    /// `nil` when every row is valid.
    let validity: [Bool]?
    /// 0 for a broadcast literal, 1 for a column.
    let stride: Int

    static func constant(_ values: Values) -> OperandVector {
        OperandVector(values: values, validity: nil, stride: 0)
    }

    /// A column's storage as a vector; nil for layouts that cannot be compared (lists,
    /// structs), which the binder has already refused.
    init?(column: Column) {
        switch column.storage {
        case .null: values = .null
        case let .bool(v): values = .bool(v)
        case let .int(v): values = .int(v)
        case let .uint(v): values = .uint(v)
        case let .float(v): values = .float(v)
        case let .bytes(v): values = .bytes(v)
        case .list, .structure: return nil
        }
        validity = column.validity
        stride = 1
    }

    init(values: Values, validity: [Bool]?, stride: Int) {
        self.values = values
        self.validity = validity
        self.stride = stride
    }

    var isAllNull: Bool {
        if case .null = values { return true }
        return false
    }
}

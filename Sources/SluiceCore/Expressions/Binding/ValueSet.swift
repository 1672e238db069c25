/// The literals of a long `IN` list as a hash set, so that `x IN (1, 2, ..., 500)` costs one
/// lookup per row rather than 500 passes over the batch. Used only where a set gives exactly
/// the OR-of-equalities answer: the subject is a column whose physical values are of the
/// same kind as every non-null literal (signed, unsigned or bytes; floats keep the OR chain
/// for NaN and exact mixed-type semantics).
enum ValueSet: Sendable {
    case int(Set<Int64>)
    case uint(Set<UInt64>)
    case bytes(Set<ArraySlice<UInt8>>)

    /// Lists shorter than this stay OR chains, which are as fast and allocate no set.
    static let minimumItems = 8

    /// The membership test equivalent to `equalities` (each `column = literal`), or nil
    /// when the list does not qualify.
    static func lookup(for equalities: [BoundPredicate]) -> BoundPredicate? {
        guard equalities.count >= minimumItems, case let .compare(_, subject, _) = equalities[0],
              case let .column(_, type) = subject else { return nil }
        var ints = Set<Int64>(), uints = Set<UInt64>(), bytes = Set<ArraySlice<UInt8>>()
        var hasNull = false
        for equality in equalities {
            guard case let .compare(_, _, .constant(item)) = equality else { return nil }
            switch item.values {
            case .null: hasNull = true
            case let .int(v): ints.insert(v[0])
            case let .uint(v): uints.insert(v[0])
            case let .bytes(v): bytes.insert(v[0])
            case .bool, .float: return nil
            }
        }
        let set: ValueSet
        switch type.physical {
        case .int where uints.isEmpty && bytes.isEmpty: set = .int(ints)
        case .uint where ints.isEmpty && bytes.isEmpty: set = .uint(uints)
        case .bytes where ints.isEmpty && uints.isEmpty: set = .bytes(bytes)
        default: return nil
        }
        return .memberOf(subject, set, listHasNull: hasNull)
    }

    /// Per row, whether the value is in the set (the binder matched the set to the column's
    /// layout, and evaluation checks each batch's column type).
    func contains(_ vector: OperandVector, count: Int) -> [Bool] {
        switch (self, vector.values) {
        case let (.int(set), .int(values)): return ComparisonKernels.fill(count) { set.contains(values[$0]) }
        case let (.uint(set), .uint(values)): return ComparisonKernels.fill(count) { set.contains(values[$0]) }
        case let (.bytes(set), .bytes(values)): return ComparisonKernels.fill(count) { set.contains(values[$0]) }
        default: preconditionFailure("a \(self) set against \(vector.values) values")
        }
    }
}

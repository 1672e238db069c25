/// Runs a bound predicate over one batch, a column at a time: every node produces a whole
/// `Truth` (or operand vector) for all rows before its parent combines them, so the work is
/// a handful of tight loops over typed arrays per node, with no per-cell boxing.
extension BoundPredicate {
    func evaluate(on batch: RecordBatch) throws -> Truth {
        let count = batch.rowCount
        switch self {
        case let .value(operand):
            let v = try operand.vector(on: batch)
            guard case let .bool(values) = v.values else { return .unknown(count: count) }
            let holds = v.stride == 0 ? [Bool](repeating: values[0], count: count) : values
            return Truth(holds: holds, validity: v.validity)
        case let .compare(op, lhs, rhs):
            let l = try lhs.vector(on: batch), r = try rhs.vector(on: batch)
            if l.isAllNull || r.isAllNull { return .unknown(count: count) }
            let holds = ComparisonKernels.compare(l, op, r, count: count)
            return Truth(holds: holds, validity: Truth.bothValid(l.validity, r.validity))
        case let .and(lhs, rhs):
            return try lhs.evaluate(on: batch).and(try rhs.evaluate(on: batch))
        case let .or(lhs, rhs):
            return try lhs.evaluate(on: batch).or(try rhs.evaluate(on: batch))
        case let .not(inner):
            return try inner.evaluate(on: batch).not()
        case let .isNull(operand, negated):
            let v = try operand.vector(on: batch)
            let nulls: [Bool]
            if v.isAllNull {
                nulls = [Bool](repeating: true, count: count)
            } else if let validity = v.validity {
                nulls = Truth.map(validity) { !$0 }
            } else {
                nulls = [Bool](repeating: false, count: count)
            }
            let truth = Truth(holds: nulls, validity: nil)
            return negated ? truth.not() : truth
        case let .anyOf(parts):
            var result = try parts[0].evaluate(on: batch)
            for part in parts.dropFirst() { result = result.or(try part.evaluate(on: batch)) }
            return result
        case let .memberOf(operand, set, listHasNull):
            let v = try operand.vector(on: batch)
            if v.isAllNull { return .unknown(count: count) }
            let found = Truth(holds: set.contains(v, count: count), validity: v.validity)
            // A miss against a list holding NULL is unknown, not false.
            return listHasNull ? Truth(isTrue: found.isTrue, isFalse: [Bool](repeating: false, count: count)) : found
        }
    }
}

extension BoundOperand {
    /// The operand's values over `batch`. A column is looked up by name, so a batch may
    /// carry more columns, or the same ones in another order, than the bound schema.
    func vector(on batch: RecordBatch) throws -> OperandVector {
        switch self {
        case let .constant(vector):
            return vector
        case let .condition(predicate):
            let truth = try predicate.evaluate(on: batch)
            return OperandVector(values: .bool(truth.isTrue), validity: truth.known, stride: 1)
        case let .column(name, type):
            guard let column = batch.column(named: name) else {
                throw SchemaError(
                    "the batch lacks column '\(name)', which the filter needs (batch columns: \(batch.schema.names.joined(separator: ", ")))",
                    column: name)
            }
            guard column.type == type, let vector = OperandVector(column: column) else {
                throw SchemaError("column '\(name)' is \(column.type) in the batch, the filter was bound to \(type)", column: name)
            }
            return vector
        }
    }
}

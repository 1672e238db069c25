/// A row predicate or value, as written in the HTTP `where=` parameter and passed to sources
/// as the `filter` pushdown. `ExpressionParser` reads the text form; `description` writes it
/// back so that it parses to the same expression.
///
/// Semantics are SQL's: a comparison with a null is unknown, `NOT` of unknown is unknown,
/// `AND`/`OR` use three-valued logic, and a filter keeps only the rows where it is true.
/// `check(against:)` type-checks an expression for a schema; `BoundFilter` evaluates it.
public indirect enum Expression: Hashable, Sendable {
    case column(String)
    case literal(Value)
    case compare(ComparisonOperator, Expression, Expression)
    case and(Expression, Expression)
    case or(Expression, Expression)
    case not(Expression)
    /// `e IS NULL`, or `e IS NOT NULL` when negated.
    case isNull(Expression, negated: Bool)
    /// `e IN (a, b, ...)`, or `e NOT IN (...)` when negated.
    case inList(Expression, [Expression], negated: Bool)

    public enum ComparisonOperator: String, Hashable, Sendable, CaseIterable {
        case equal = "=", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    }
}

extension Expression {
    /// The direct sub-expressions, in the order they are written (the order
    /// `ExpressionPositions.children` follows).
    public var children: [Expression] {
        switch self {
        case .column, .literal: return []
        case let .compare(_, lhs, rhs), let .and(lhs, rhs), let .or(lhs, rhs): return [lhs, rhs]
        case let .not(inner), let .isNull(inner, _): return [inner]
        case let .inList(subject, items, _): return [subject] + items
        }
    }

    /// The columns the expression reads, each once, in order of first appearance. A source
    /// that honours `columns` still reads these so the filter can be re-applied.
    public var columns: [String] {
        var seen = Set<String>()
        var names: [String] = []
        collectColumns(into: &names, seen: &seen)
        return names
    }

    private func collectColumns(into names: inout [String], seen: inout Set<String>) {
        if case let .column(name) = self {
            if seen.insert(name).inserted { names.append(name) }
            return
        }
        for child in children { child.collectColumns(into: &names, seen: &seen) }
    }

    /// Type-checks the expression as a filter over `schema`: every column exists, every
    /// comparison is between comparable types, date and timestamp literals are valid, and
    /// the whole is a condition (Bool). Errors carry no position (there is no text); use
    /// `ParsedExpression.check(against:)` for text from a user.
    public func check(against schema: Schema) throws {
        _ = try BoundFilter(self, schema: schema)
    }

    /// The rows of `batch` where the expression is true (unknown counts as false). Binds the
    /// expression to the batch's schema on every call; to filter many batches, bind once
    /// with `BoundFilter` instead.
    public func evaluate(on batch: RecordBatch) throws -> [Bool] {
        try BoundFilter(self, schema: batch.schema).evaluate(on: batch)
    }
}

extension Expression.ComparisonOperator {
    /// The operator with its operands swapped (`a < b` is `b > a`).
    var mirrored: Self {
        switch self {
        case .equal, .notEqual: return self
        case .less: return .greater
        case .lessOrEqual: return .greaterOrEqual
        case .greater: return .less
        case .greaterOrEqual: return .lessOrEqual
        }
    }
}

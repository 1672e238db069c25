/// A row predicate or value, as written in the HTTP `where=` parameter and passed to sources
/// as the `filter` pushdown. `ExpressionParser` reads the text form; `description` writes it
/// back so that it parses to the same expression.
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

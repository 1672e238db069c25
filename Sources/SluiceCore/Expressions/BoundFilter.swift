/// A filter expression bound to a schema once, then evaluated over any number of batches.
///
/// Binding type-checks the expression (see `ExpressionBinder` for the rules) and converts
/// literals to their physical form, so evaluation does no parsing, no conversion and no
/// boxing per row. A batch may have the bound schema, a subset of it holding at least
/// `columns`, or extra columns; a needed column that is missing or of another type is a
/// `SchemaError`.
public struct BoundFilter: Sendable {
    public let expression: Expression
    /// The columns the filter reads, in order of first appearance.
    public let columns: [String]
    private let root: BoundPredicate

    /// Binds `expression` to `schema`; `positions` (from a `ParsedExpression`) make type
    /// errors point into the text.
    public init(_ expression: Expression, schema: Schema, positions: ExpressionPositions? = nil) throws {
        self.expression = expression
        self.columns = expression.columns
        self.root = try ExpressionBinder(schema: schema).bindCondition(expression, positions)
    }

    /// One flag per row of `batch`: true where the filter is true; false where it is false
    /// or unknown (SQL: a WHERE keeps only true rows).
    public func evaluate(on batch: RecordBatch) throws -> [Bool] {
        if batch.rowCount == 0 { return [] }
        return try root.evaluate(on: batch).isTrue
    }

    /// The rows of `batch` the filter keeps (the batch itself when it keeps all).
    public func filter(_ batch: RecordBatch) throws -> RecordBatch {
        batch.filter(try evaluate(on: batch))
    }
}

/// Where each node of a parsed expression sits in its text, shaped like the expression:
/// `children` follow `Expression.children`. A node's position is that of its operator or
/// keyword (`=`, `AND`, `NOT`, `IS`, `IN`), or of its first character for a column or
/// literal, 1-based in Unicode scalars as in `ExpressionError`.
public struct ExpressionPositions: Hashable, Sendable {
    public var position: Int
    public var children: [ExpressionPositions]

    public init(_ position: Int, _ children: [ExpressionPositions] = []) {
        self.position = position
        self.children = children
    }
}

/// An expression parsed from text, with the positions of its parts, so that type errors
/// found later (unknown column, incomparable types) point into the text the user wrote.
///
/// The server parses `where=` into one of these, checks it against the source schema, and
/// passes `expression` on as the filter pushdown.
public struct ParsedExpression: Hashable, Sendable {
    public let text: String
    public let expression: Expression
    public let positions: ExpressionPositions

    /// Parses `text`; a syntax error is an `ExpressionError` with its position.
    public init(parsing text: String) throws {
        let parsed = try ExpressionParser.parseWithPositions(text)
        self.text = text
        self.expression = parsed.expression
        self.positions = parsed.positions
    }

    /// Type-checks as `Expression.check(against:)` does, with positions in the errors.
    public func check(against schema: Schema) throws {
        _ = try bind(to: schema)
    }

    /// Binds to `schema` for evaluation, with positions in the errors.
    public func bind(to schema: Schema) throws -> BoundFilter {
        try BoundFilter(expression, schema: schema, positions: positions)
    }
}

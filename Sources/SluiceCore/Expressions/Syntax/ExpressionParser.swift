/// Reads the `where=` language into an `Expression`:
///
///     expression := or
///     or         := and ("OR" and)*
///     and        := not ("AND" not)*
///     not        := "NOT" not | predicate
///     predicate  := operand [ comparison operand
///                           | "IS" ["NOT"] "NULL"
///                           | ["NOT"] "IN" "(" operand ("," operand)* ")" ]
///     operand    := literal | column | "(" or ")"
///     literal    := number | 'string' | TRUE | FALSE | NULL
///
/// Keywords are case-insensitive. `AND` and `OR` associate to the left. Errors are
/// `ExpressionError`s at the offending token. Input is limited to `maxLength` UTF-8 bytes
/// and the tree to `maxDepth` levels, which bounds the recursion of every later pass.
public enum ExpressionParser {
    public static let maxLength = 4096
    public static let maxDepth = 128

    public static func parse(_ text: String) throws -> Expression {
        try parseWithPositions(text).expression
    }

    /// The expression and the positions of its parts (see `ParsedExpression`).
    public static func parseWithPositions(_ text: String) throws -> (expression: Expression, positions: ExpressionPositions) {
        guard text.utf8.count <= maxLength else {
            throw ExpressionError("the expression is longer than \(maxLength) bytes", position: maxLength + 1)
        }
        var lexer = ExpressionLexer(text)
        var parser = Parser(tokens: try lexer.tokenize())
        let node = try parser.parseExpression()
        return (node.expression, node.positions)
    }
}

/// The recursive-descent parser over a token list.
private struct Parser {
    /// An expression with its positions and the depth of its tree.
    struct Node {
        let expression: Expression
        let positions: ExpressionPositions
        let depth: Int
    }

    let tokens: [ExpressionToken]
    var index = 0
    /// Parentheses and NOTs currently open, to stop runaway recursion before the tree exists.
    var nesting = 0

    init(tokens: [ExpressionToken]) { self.tokens = tokens }

    var current: ExpressionToken { tokens[index] }
    var previous: ExpressionToken { tokens[index - 1] }

    mutating func advance() -> ExpressionToken {
        defer { index += 1 }
        return tokens[index]
    }

    mutating func accept(_ keyword: ExpressionToken.Keyword) -> ExpressionToken? {
        guard current.kind == .keyword(keyword) else { return nil }
        return advance()
    }

    func error(_ message: String, at token: ExpressionToken? = nil) -> ExpressionError {
        ExpressionError(message, position: (token ?? current).position)
    }

    /// Builds a node, refusing trees deeper than `ExpressionParser.maxDepth`.
    func node(_ expression: Expression, at token: ExpressionToken, _ children: [Node]) throws -> Node {
        let depth = 1 + (children.map(\.depth).max() ?? 0)
        guard depth <= ExpressionParser.maxDepth else {
            throw error("the expression nests deeper than \(ExpressionParser.maxDepth) levels", at: token)
        }
        return Node(expression: expression, positions: ExpressionPositions(token.position, children.map(\.positions)), depth: depth)
    }

    mutating func parseExpression() throws -> Node {
        if current.kind == .end { throw error("the expression is empty") }
        let node = try parseOr()
        guard current.kind == .end else {
            if current.kind == .rightParen { throw error("unmatched ')'") }
            throw error("expected AND, OR or the end, found \(current.quoted)")
        }
        return node
    }

    mutating func parseOr() throws -> Node {
        var lhs = try parseAnd()
        while let op = accept(.or) {
            let rhs = try parseAnd()
            lhs = try node(.or(lhs.expression, rhs.expression), at: op, [lhs, rhs])
        }
        return lhs
    }

    mutating func parseAnd() throws -> Node {
        var lhs = try parseNot()
        while let op = accept(.and) {
            let rhs = try parseNot()
            lhs = try node(.and(lhs.expression, rhs.expression), at: op, [lhs, rhs])
        }
        return lhs
    }

    mutating func parseNot() throws -> Node {
        guard let op = accept(.not) else { return try parsePredicate() }
        try enterNesting(at: op)
        defer { nesting -= 1 }
        let inner = try parseNot()
        return try node(.not(inner.expression), at: op, [inner])
    }

    mutating func parsePredicate() throws -> Node {
        let subject = try parseOperand(after: nil)
        switch current.kind {
        case let .comparison(op):
            let opToken = advance()
            let rhs = try parseOperand(after: opToken)
            return try node(.compare(op, subject.expression, rhs.expression), at: opToken, [subject, rhs])
        case .keyword(.is):
            let isToken = advance()
            let negated = accept(.not) != nil
            guard accept(.null) != nil else {
                throw error("expected NULL after '\(isToken.text)\(negated ? " " + previous.text : "")'")
            }
            return try node(.isNull(subject.expression, negated: negated), at: isToken, [subject])
        case .keyword(.in):
            return try parseInList(subject, negated: false)
        case .keyword(.not) where tokens[index + 1].kind == .keyword(.in):
            index += 1
            return try parseInList(subject, negated: true)
        default:
            return subject
        }
    }

    /// `IN ( operand, ... )` with the current token on `IN`.
    mutating func parseInList(_ subject: Node, negated: Bool) throws -> Node {
        let inToken = advance()
        guard current.kind == .leftParen else { throw error("expected '(' after IN, found \(current.quoted)") }
        let open = advance()
        if current.kind == .rightParen { throw error("an IN list needs at least one value") }
        var items: [Node] = []
        repeat {
            items.append(try parseOperand(after: items.isEmpty ? open : previous))
        } while accept(comma: ())
        guard current.kind == .rightParen else {
            throw error("expected ',' or ')' in the IN list opened at position \(open.position), found \(current.quoted)")
        }
        index += 1
        let list = Expression.inList(subject.expression, items.map(\.expression), negated: negated)
        return try node(list, at: inToken, [subject] + items)
    }

    mutating func accept(comma: ()) -> Bool {
        guard current.kind == .comma else { return false }
        index += 1
        return true
    }

    /// A literal, a column, or a parenthesised expression. `after` is the token that called
    /// for a value, for the message when none follows.
    mutating func parseOperand(after: ExpressionToken?) throws -> Node {
        let token = current
        switch token.kind {
        case let .literal(value):
            index += 1
            return try node(.literal(value), at: token, [])
        case let .identifier(name):
            index += 1
            return try node(.column(name), at: token, [])
        case .keyword(.true), .keyword(.false), .keyword(.null):
            index += 1
            let value: Value = token.kind == .keyword(.null) ? .null : .bool(token.kind == .keyword(.true))
            return try node(.literal(value), at: token, [])
        case .leftParen:
            index += 1
            try enterNesting(at: token)
            defer { nesting -= 1 }
            let inner = try parseOr()
            guard current.kind == .rightParen else {
                throw error("expected ')' to close the '(' at position \(token.position), found \(current.quoted)")
            }
            index += 1
            return inner
        default:
            if let after { throw error("expected a value after '\(after.text)', found \(current.quoted)") }
            throw error("expected a value, found \(current.quoted)")
        }
    }

    mutating func enterNesting(at token: ExpressionToken) throws {
        nesting += 1
        guard nesting <= ExpressionParser.maxDepth else {
            throw error("the expression nests deeper than \(ExpressionParser.maxDepth) levels", at: token)
        }
    }
}

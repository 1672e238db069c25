/// One token of the expression language, with where it starts and ends in the text.
struct ExpressionToken: Equatable {
    enum Kind: Equatable {
        /// A column name, bare or double-quoted (quotes removed, `""` unescaped).
        case identifier(String)
        case keyword(Keyword)
        /// A number or string literal, already converted (`.int`, `.uint`, `.float`, `.string`).
        case literal(Value)
        case comparison(Expression.ComparisonOperator)
        case leftParen, rightParen, comma
        case end
    }

    /// The language's reserved words, matched case-insensitively; a column with one of these
    /// names must be double-quoted.
    enum Keyword: String, CaseIterable {
        case and = "AND", or = "OR", not = "NOT", `in` = "IN", `is` = "IS"
        case null = "NULL", `true` = "TRUE", `false` = "FALSE"

        /// The keyword a bare word spells, ignoring case.
        init?(word: String) {
            self.init(rawValue: word.uppercased())
        }
    }

    let kind: Kind
    /// 1-based index of the first scalar.
    let position: Int
    /// The token as written (for messages); empty at the end.
    let text: String

    /// How a message names the token: `'2'`, `')'`, or `the end`.
    var quoted: String {
        kind == .end ? "the end" : "'\(text)'"
    }
}

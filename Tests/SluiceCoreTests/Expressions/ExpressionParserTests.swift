import Testing
@testable import SluiceCore

@Suite struct ExpressionParserTests {
    let a = Expression.column("a"), b = Expression.column("b"), c = Expression.column("c")

    func lit(_ v: Value) -> Expression { .literal(v) }

    @Test(arguments: Expression.ComparisonOperator.allCases)
    func comparisons(op: Expression.ComparisonOperator) throws {
        #expect(try ExpressionParser.parse("a \(op.rawValue) 1") == .compare(op, a, lit(1)))
        #expect(try ExpressionParser.parse("a\(op.rawValue)b") == .compare(op, a, b))
    }

    @Test func notEqualHasTwoSpellings() throws {
        #expect(try ExpressionParser.parse("a <> 1") == .compare(.notEqual, a, lit(1)))
    }

    @Test func literals() throws {
        #expect(try ExpressionParser.parse("a = 42") == .compare(.equal, a, lit(.int(42))))
        #expect(try ExpressionParser.parse("a = -7") == .compare(.equal, a, lit(.int(-7))))
        #expect(try ExpressionParser.parse("a = -9223372036854775808") == .compare(.equal, a, lit(.int(.min))))
        #expect(try ExpressionParser.parse("a = 9223372036854775808") == .compare(.equal, a, lit(.uint(1 << 63))))
        #expect(try ExpressionParser.parse("a = 18446744073709551615") == .compare(.equal, a, lit(.uint(.max))))
        #expect(try ExpressionParser.parse("a = 2.5") == .compare(.equal, a, lit(.float(2.5))))
        #expect(try ExpressionParser.parse("a = -1.5e3") == .compare(.equal, a, lit(.float(-1500))))
        #expect(try ExpressionParser.parse("a = 1E-2") == .compare(.equal, a, lit(.float(0.01))))
        #expect(try ExpressionParser.parse("a = .5") == .compare(.equal, a, lit(.float(0.5))))
        #expect(try ExpressionParser.parse("a = 'it''s'") == .compare(.equal, a, lit(.string("it's"))))
        #expect(try ExpressionParser.parse("a = ''") == .compare(.equal, a, lit(.string(""))))
        #expect(try ExpressionParser.parse("a = 'naïve 日本 🎉'") == .compare(.equal, a, lit(.string("naïve 日本 🎉"))))
        #expect(try ExpressionParser.parse("a = TRUE") == .compare(.equal, a, lit(.bool(true))))
        #expect(try ExpressionParser.parse("a = false") == .compare(.equal, a, lit(.bool(false))))
        #expect(try ExpressionParser.parse("a = Null") == .compare(.equal, a, lit(.null)))
    }

    @Test func identifiers() throws {
        #expect(try ExpressionParser.parse("_x.y_1 = 1") == .compare(.equal, .column("_x.y_1"), lit(1)))
        #expect(try ExpressionParser.parse("\"odd name\" = 1") == .compare(.equal, .column("odd name"), lit(1)))
        #expect(try ExpressionParser.parse("\"say \"\"hi\"\"\" = 1") == .compare(.equal, .column("say \"hi\""), lit(1)))
        #expect(try ExpressionParser.parse("\"and\" = 1") == .compare(.equal, .column("and"), lit(1)))
        #expect(try ExpressionParser.parse("\"Größe\" > 1") == .compare(.greater, .column("Größe"), lit(1)))
    }

    @Test func keywordsIgnoreCase() throws {
        let expected = Expression.and(.not(.isNull(a, negated: false)), .inList(b, [lit(1)], negated: true))
        #expect(try ExpressionParser.parse("not a is null and b not in (1)") == expected)
        #expect(try ExpressionParser.parse("NoT a Is NuLl AnD b NOT In (1)") == expected)
    }

    @Test func isNullAndInLists() throws {
        #expect(try ExpressionParser.parse("a IS NULL") == .isNull(a, negated: false))
        #expect(try ExpressionParser.parse("a IS NOT NULL") == .isNull(a, negated: true))
        #expect(try ExpressionParser.parse("a IN (1, 'x', null, b)")
            == .inList(a, [lit(1), lit("x"), lit(.null), b], negated: false))
        #expect(try ExpressionParser.parse("a NOT IN (1)") == .inList(a, [lit(1)], negated: true))
    }

    @Test func precedence() throws {
        // AND binds tighter than OR.
        #expect(try ExpressionParser.parse("a OR b AND c") == .or(a, .and(b, c)))
        #expect(try ExpressionParser.parse("a AND b OR c") == .or(.and(a, b), c))
        // NOT binds tighter than AND; comparisons tighter than NOT.
        #expect(try ExpressionParser.parse("NOT a AND b") == .and(.not(a), b))
        #expect(try ExpressionParser.parse("NOT a = 1") == .not(.compare(.equal, a, lit(1))))
        #expect(try ExpressionParser.parse("NOT NOT a") == .not(.not(a)))
        // Left associativity, and parentheses override.
        #expect(try ExpressionParser.parse("a AND b AND c") == .and(.and(a, b), c))
        #expect(try ExpressionParser.parse("a OR b OR c") == .or(.or(a, b), c))
        #expect(try ExpressionParser.parse("a AND (b OR c)") == .and(a, .or(b, c)))
        #expect(try ExpressionParser.parse("(a = 1) = true") == .compare(.equal, .compare(.equal, a, lit(1)), lit(true)))
        #expect(try ExpressionParser.parse("((a))") == a)
    }

    @Test func positionsPointAtOperatorsAndOperands() throws {
        let parsed = try ParsedExpression(parsing: "x = 1 AND y IN (2, 'z')")
        #expect(parsed.positions.position == 7)                       // AND
        #expect(parsed.positions.children[0].position == 3)           // =
        #expect(parsed.positions.children[0].children.map(\.position) == [1, 5])
        #expect(parsed.positions.children[1].position == 13)          // IN
        #expect(parsed.positions.children[1].children.map(\.position) == [11, 17, 20])
    }

    /// Every syntax error at its exact 1-based position.
    @Test(arguments: [
        ("name = 'abc", 8, "unterminated string"),
        ("\"abc = 1", 1, "unterminated quoted column name"),
        ("x = ", 5, "expected a value after '=', found the end"),
        ("x = AND y", 5, "expected a value after '=', found 'AND'"),
        ("x = 1 2", 7, "expected AND, OR or the end, found '2'"),
        ("x = 1 AND", 10, "expected a value, found the end"),
        ("(x = 1", 7, "expected ')' to close the '(' at position 1, found the end"),
        ("x = 1)", 6, "unmatched ')'"),
        ("x IN ()", 7, "an IN list needs at least one value"),
        ("x IN 1", 6, "expected '(' after IN, found '1'"),
        ("x IN (1, 2", 11, "expected ',' or ')' in the IN list opened at position 6, found the end"),
        ("x IN (1,)", 9, "expected a value after ',', found ')'"),
        ("x IS 1", 6, "expected NULL after 'IS'"),
        ("x IS NOT 1", 10, "expected NULL after 'IS NOT'"),
        ("x ! 1", 3, "'!' must be followed by '='"),
        ("x = 1 ; y", 7, "unexpected character ';'"),
        ("x = 12abc", 7, "unexpected 'a' after a number"),
        ("x = 1e", 7, "expected digits in the exponent"),
        ("x = 99999999999999999999", 5, "integer 99999999999999999999 is out of range"),
        ("x = 1e999", 5, "number 1e999 is out of range"),
        ("", 1, "the expression is empty"),
        ("   ", 4, "the expression is empty"),
        ("\"\" = 1", 1, "a quoted column name is empty"),
        ("é = 1", 1, "unexpected character 'é'"),
        ("'日本' = x =", 10, "expected AND, OR or the end, found '='"),
    ])
    func syntaxErrors(text: String, position: Int, message: String) {
        #expect(throws: ExpressionError(message, position: position)) { try ExpressionParser.parse(text) }
    }

    @Test func errorDescriptionLeadsWithPosition() {
        #expect(ExpressionError("expected a value after '='", position: 12).description
            == "position 12: expected a value after '='")
        #expect(ExpressionError("no text").description == "no text")
    }

    @Test func lengthAndDepthAreLimited() throws {
        let long = "a = '" + String(repeating: "x", count: ExpressionParser.maxLength) + "'"
        #expect(throws: ExpressionError.self) { try ExpressionParser.parse(long) }
        let deep = String(repeating: "(", count: 500) + "a" + String(repeating: ")", count: 500)
        let error = #expect(throws: ExpressionError.self) { try ExpressionParser.parse(deep) }
        #expect(error?.position == ExpressionParser.maxDepth + 1)
        let chain = (0...200).map { "a = \($0)" }.joined(separator: " OR ")
        #expect(throws: ExpressionError.self) { try ExpressionParser.parse(chain) }
        // Within the limits, deep nesting is fine.
        let fine = String(repeating: "NOT ", count: 100) + "a"
        #expect(try ExpressionParser.parse(fine).description == fine)
    }
}

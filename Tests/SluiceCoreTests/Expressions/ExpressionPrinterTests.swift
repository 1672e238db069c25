import Testing
@testable import SluiceCore

@Suite struct ExpressionPrinterTests {
    @Test(arguments: [
        "a = 1",
        "a != -5",
        "a < 2.5 AND b >= 1e-05",
        "a = 18446744073709551615",
        "a = 'it''s' OR b = 'naïve 🎉'",
        "a OR b AND c",
        "(a OR b) AND c",
        "a AND (b AND c)",
        "a OR (b OR c)",
        "NOT (a AND b)",
        "NOT a = 1",
        "NOT NOT a",
        "(a = 1) = TRUE",
        "a IS NULL AND b IS NOT NULL",
        "(a = b) IS NULL",
        "a IN (1, 'x', NULL, b)",
        "a NOT IN (TRUE, FALSE)",
        "\"odd name\" = 1",
        "\"and\" > 1",
        "\"say \"\"hi\"\"\" = 1",
        "\"1st\" = 1",
        "x.y_z <= 0.1",
    ])
    func printsTextThatParsesBackToTheSameExpression(text: String) throws {
        let expression = try ExpressionParser.parse(text)
        #expect(expression.description == text)
        #expect(try ExpressionParser.parse(expression.description) == expression)
    }

    @Test func normalisesSpellings() throws {
        #expect(try ExpressionParser.parse("a<>1 and not(b)").description == "a != 1 AND NOT b")
        #expect(try ExpressionParser.parse("((a)) = (1)").description == "a = 1")
        #expect(try ExpressionParser.parse("a = 2.50").description == "a = 2.5")
        #expect(try ExpressionParser.parse("a = 3.0").description == "a = 3.0")
    }

    @Test func roundTripsBuiltTrees() throws {
        let a = Expression.column("a"), b = Expression.column("b with space")
        let trees: [Expression] = [
            .and(.or(a, b), .not(.or(a, b))),
            .or(.and(a, b), .and(a, .and(a, b))),
            .not(.not(.inList(a, [.literal(.float(1e300)), .literal(.float(-0.25))], negated: true))),
            .compare(.less, .literal(.string("'quoted'")), .isNull(.and(a, b), negated: false)),
            .compare(.greaterOrEqual, .literal(.float(1e16)), .literal(.int(.min))),
        ]
        for tree in trees {
            #expect(try ExpressionParser.parse(tree.description) == tree, "\(tree.description)")
        }
    }

    @Test func literalsTheLanguageCannotWrite() {
        let a = Expression.column("a")
        #expect(Expression.compare(.equal, a, .literal(.date(19723))).description == "a = '2024-01-01'")
        #expect(Expression.compare(.equal, a, .literal(.timestamp(1_704_103_200_000_000))).description
            == "a = '2024-01-01T10:00:00.000000Z'")
        #expect(Expression.compare(.equal, a, .literal(.float(.nan))).description == "a = 'NaN'")
    }

    @Test func columnsAreListedOnceInOrder() throws {
        let e = try ExpressionParser.parse("b = 1 AND (a IN (c, 1) OR b IS NULL) AND NOT \"d e\"")
        #expect(e.columns == ["b", "a", "c", "d e"])
        #expect(try ExpressionParser.parse("1 = 1").columns == [])
    }
}

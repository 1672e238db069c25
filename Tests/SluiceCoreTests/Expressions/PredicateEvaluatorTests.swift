import Testing
@testable import SluiceCore

/// SQL truth of a filter per row, read off two masks: the filter's and its negation's.
enum SQLTruth: Equatable { case t, f, u }

func truths(_ text: String, _ batch: RecordBatch) throws -> [SQLTruth] {
    let e = try ExpressionParser.parse(text)
    let yes = try e.evaluate(on: batch), no = try Expression.not(e).evaluate(on: batch)
    return zip(yes, no).map { $0 ? .t : ($1 ? .f : .u) }
}

func batch(_ fields: [Field], _ rows: [[Value]]) throws -> RecordBatch {
    try RecordBatch(schema: Schema(fields), rows: rows)
}

@Suite struct PredicateEvaluatorTests {
    /// p and q over all nine combinations of true, false and null.
    let logic: RecordBatch = try! batch([Field("p", .bool), Field("q", .bool)], [
        [true, true], [true, false], [true, nil], [false, true], [false, false], [false, nil],
        [nil, true], [nil, false], [nil, nil],
    ])

    @Test func threeValuedTruthTables() throws {
        #expect(try truths("p AND q", logic) == [.t, .f, .u, .f, .f, .f, .u, .f, .u])
        #expect(try truths("p OR q", logic) == [.t, .t, .t, .t, .f, .u, .t, .u, .u])
        #expect(try truths("NOT p", logic) == [.f, .f, .f, .t, .t, .t, .u, .u, .u])
        #expect(try truths("p", logic) == [.t, .t, .t, .f, .f, .f, .u, .u, .u])
        #expect(try truths("p = q", logic) == [.t, .f, .u, .f, .t, .u, .u, .u, .u])
        #expect(try truths("p IS NULL", logic) == [.f, .f, .f, .f, .f, .f, .t, .t, .t])
        #expect(try truths("(p AND q) IS NOT NULL", logic) == [.t, .t, .f, .t, .t, .t, .f, .t, .f])
        // Unknown rows are excluded from the mask.
        #expect(try Expression.column("p").evaluate(on: logic) == [true, true, true, false, false, false, false, false, false])
    }

    @Test func constantsAndNullLiterals() throws {
        let b = try batch([Field("x", .int64)], [[1], [nil]])
        #expect(try truths("TRUE", b) == [.t, .t])
        #expect(try truths("NULL", b) == [.u, .u])
        #expect(try truths("x = NULL", b) == [.u, .u])
        #expect(try truths("NULL != x", b) == [.u, .u])
        #expect(try truths("1 < 2", b) == [.t, .t])
        #expect(try truths("x = 1", b) == [.t, .u])
        #expect(try truths("x != 1", b) == [.f, .u])
        #expect(try truths("NULL IS NULL", b) == [.t, .t])
        #expect(try truths("x IS NOT NULL", b) == [.t, .f])
    }

    static let numericTypes: [DataType] = [.int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .float32, .float64]

    /// Every pair of numeric types, column against column and column against literal.
    @Test(arguments: numericTypes)
    func everyNumericTypeMix(left: DataType) throws {
        let lhs: [Int64] = [0, 1, 2, 100, 7]
        let rhs: [Int64] = [1, 1, 0, 100, 7]
        for right in Self.numericTypes {
            let b = try batch([Field("a", left), Field("b", right)],
                              zip(lhs, rhs).map { [.int($0), .int($1)] } + [[nil, 1]])
            for op in Expression.ComparisonOperator.allCases {
                let expected = zip(lhs, rhs).map { holds(op, $0, $1) } + [false]
                #expect(try Expression.compare(op, .column("a"), .column("b")).evaluate(on: b) == expected, "\(left) \(op) \(right)")
            }
        }
        let b = try batch([Field("a", left)], lhs.map { [.int($0)] })
        #expect(try truths("a < 1.5", b) == [.t, .t, .f, .f, .f])
        #expect(try truths("a >= 2.0", b) == [.f, .f, .t, .t, .t])
        #expect(try truths("a = 18446744073709551615", b) == [.f, .f, .f, .f, .f])
        #expect(try truths("a > -1", b) == [.t, .t, .t, .t, .t])
        #expect(try truths("-1e300 < a AND a < 1e300", b) == [.t, .t, .t, .t, .t])
    }

    func holds(_ op: Expression.ComparisonOperator, _ a: Int64, _ b: Int64) -> Bool {
        switch op {
        case .equal: return a == b
        case .notEqual: return a != b
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        }
    }

    @Test func extremeNumbersCompareExactly() throws {
        let b = try batch([Field("i", .int64), Field("u", .uint64), Field("f", .float64)], [
            [.int(.max), .uint(.max), .float(9_223_372_036_854_775_808.0)],
            [.int(.min), .uint(0), .float(-0.5)],
            [.int(9_007_199_254_740_993), .uint(1 << 63), .float(9_007_199_254_740_992.0)],
        ])
        #expect(try truths("i < f", b) == [.t, .t, .f])      // 2^53 + 1 > 2^53: no rounding through Double
        #expect(try truths("i < u", b) == [.t, .t, .t])
        #expect(try truths("u > f", b) == [.t, .t, .t])
        #expect(try truths("i = 9223372036854775807", b) == [.t, .f, .f])
        #expect(try truths("u = 18446744073709551615", b) == [.t, .f, .f])
        #expect(try truths("u > -1", b) == [.t, .t, .t])
        #expect(try truths("i > -9223372036854775808", b) == [.t, .f, .t])
    }

    @Test func nanNeverEquals() throws {
        let b = try batch([Field("f", .float64), Field("g", .float32)], [[.float(.nan), .float(.nan)], [1.0, 1.0]])
        #expect(try truths("f = f", b) == [.f, .t])
        #expect(try truths("f != 1", b) == [.t, .f])
        #expect(try truths("f < 2 OR f >= 2", b) == [.f, .t])
        #expect(try truths("f = g", b) == [.f, .t])
        #expect(try truths("f IN (1, 2)", b) == [.f, .t])
        #expect(try truths("f > 0", b) == [.f, .t])
    }

    @Test func stringsCompareBytewise() throws {
        let words: [Value] = ["", "a", "ab", "b", "z", "é", "日本", "🎉", "Z"]
        let b = try batch([Field("s", .string)], words.map { [$0] } + [[nil]])
        #expect(try truths("s = 'é'", b) == [.f, .f, .f, .f, .f, .t, .f, .f, .f, .u])
        // UTF-8 order: 'Z' < 'a' < 'ab' < 'z' < 'é' (C3 A9) < '日' (E6) < '🎉' (F0).
        #expect(try truths("s > 'z'", b) == [.f, .f, .f, .f, .f, .t, .t, .t, .f, .u])
        #expect(try truths("s < 'ab'", b) == [.t, .t, .f, .f, .f, .f, .f, .f, .t, .u])
        #expect(try truths("s >= '日本'", b) == [.f, .f, .f, .f, .f, .f, .t, .t, .f, .u])
        #expect(try truths("s IN ('🎉', 'ab')", b) == [.f, .f, .t, .f, .f, .f, .f, .t, .f, .u])
        #expect(try truths("s != ''", b) == [.f, .t, .t, .t, .t, .t, .t, .t, .t, .u])
    }

    @Test func stringColumnsCompareWithEachOtherAndBinary() throws {
        let b = try batch([Field("s", .string), Field("t", .string), Field("raw", .binary)], [
            ["abc", "abd", .binary(Array("abc".utf8))], ["x", "x", .binary([0xFF])], [nil, "x", .binary([])],
        ])
        #expect(try truths("s < t", b) == [.t, .f, .u])
        #expect(try truths("s = raw", b) == [.t, .f, .u])
        #expect(try truths("raw > 'zzz'", b) == [.f, .t, .f])
    }

    @Test func datesAndTimestampsCompareWithISOLiterals() throws {
        let day = TemporalLiteral.days(year: 2024, month: 1, day: 1)
        let b = try batch([Field("d", .date), Field("t", .timestampUTC), Field("ms", .timestamp(unit: .milliseconds, timezone: nil))], [
            [.date(day - 1), .timestamp(day * 86_400_000_000 + 36_000_000_000 - 1), .timestamp(day * 86_400_000)],
            [.date(day), .timestamp(day * 86_400_000_000 + 36_000_000_000), .timestamp(day * 86_400_000 + 1)],
            [.date(day + 60), .timestamp(day * 86_400_000_000 + 36_000_000_001), nil],
        ])
        #expect(try truths("d >= '2024-01-01'", b) == [.f, .t, .t])
        #expect(try truths("d = '2024-03-01'", b) == [.f, .f, .t])          // 2024 is a leap year
        #expect(try truths("'2024-01-01' > d", b) == [.t, .f, .f])
        #expect(try truths("d IN ('2023-12-31', '2024-03-01')", b) == [.t, .f, .t])
        #expect(try truths("t = '2024-01-01T10:00:00Z'", b) == [.f, .t, .f])
        #expect(try truths("t < '2024-01-01 10:00:00'", b) == [.t, .f, .f])
        #expect(try truths("t > '2024-01-01T11:00:00+01:00'", b) == [.f, .f, .t])
        #expect(try truths("t <= '2024-01-01T10:00:00.000001Z'", b) == [.t, .t, .t])
        #expect(try truths("t >= '2024-01-01'", b) == [.t, .t, .t])
        #expect(try truths("ms > '2024-01-01T00:00:00.000Z'", b) == [.f, .t, .u])
        #expect(try truths("d = d AND t = t", b) == [.t, .t, .t])
    }

    @Test func inAndNotInWithNulls() throws {
        let b = try batch([Field("x", .int64)], [[1], [2], [nil]])
        #expect(try truths("x IN (1, 3)", b) == [.t, .f, .u])
        #expect(try truths("x NOT IN (1, 3)", b) == [.f, .t, .u])
        #expect(try truths("x IN (1, NULL)", b) == [.t, .u, .u])
        #expect(try truths("x NOT IN (1, NULL)", b) == [.f, .u, .u])
        #expect(try truths("x NOT IN (3, NULL)", b) == [.u, .u, .u])
        #expect(try truths("x IN (x)", b) == [.t, .t, .u])
        #expect(try truths("1 IN (x, 5)", b) == [.t, .f, .u])
    }

    @Test func conditionsAsValues() throws {
        let b = try batch([Field("x", .int64), Field("ok", .bool)], [[1, true], [2, true], [nil, false], [1, nil]])
        #expect(try truths("(x = 1) = ok", b) == [.t, .f, .u, .u])
        #expect(try truths("(x > 1) IS NULL", b) == [.f, .f, .t, .f])
        #expect(try truths("ok AND NOT (x IN (2))", b) == [.t, .f, .f, .u])
    }

    @Test func batchesMayCarryMoreColumnsInAnyOrder() throws {
        let schema = Schema([Field("x", .int64), Field("y", .string)])
        let filter = try BoundFilter(ExpressionParser.parse("x > 1"), schema: schema)
        let wider = try batch([Field("z", .bool), Field("x", .int64)], [[true, 1], [false, 5]])
        #expect(try filter.evaluate(on: wider) == [false, true])
        #expect(try filter.filter(wider).rows == [[false, 5]])
        #expect(try filter.evaluate(on: .empty(schema)) == [])
    }

    @Test func aMissingOrRetypedColumnIsAnError() throws {
        let filter = try BoundFilter(ExpressionParser.parse("x > 1"), schema: Schema([Field("x", .int64)]))
        let missing = try batch([Field("y", .int64)], [[1]])
        #expect(throws: SchemaError(
            "the batch lacks column 'x', which the filter needs (batch columns: y)", column: "x")) {
            try filter.evaluate(on: missing)
        }
        let retyped = try batch([Field("x", .int32)], [[1]])
        #expect(throws: SchemaError.self) { try filter.evaluate(on: retyped) }
    }

    @Test func evaluatesLargeBatchesColumnAtATime() throws {
        let n = 10_000
        let builder = ColumnBuilder(.int64, capacity: n)
        for i in 0..<n { if i % 7 == 0 { builder.appendNull() } else { builder.append(int: Int64(i)) } }
        let b = try RecordBatch(schema: Schema([Field("x", .int64)]), columns: [builder.build()])
        let mask = try ExpressionParser.parse("x >= 5000 AND x NOT IN (5001, 5002)").evaluate(on: b)
        let expected = (0..<n).map { $0 % 7 != 0 && $0 >= 5000 && $0 != 5001 && $0 != 5002 }
        #expect(mask == expected)
    }
}

@Suite struct LongInListTests {
    /// Lists long enough for the hash-set path give the same answers as short OR chains.
    @Test func longListsMatchTheirOrChain() throws {
        let b = try batch([Field("i", .int32), Field("u", .uint16), Field("s", .string), Field("d", .date)], [
            [1, 1, "a", .date(0)], [9, 9, "日本", .date(1)], [20, 20, "zz", .date(2)], [nil, nil, nil, nil],
        ])
        let ints = (1...10).map(String.init).joined(separator: ", ")
        let strings = "'a', 'b', 'c', 'd', 'e', 'f', 'g', '日本'"
        let dates = "'1970-01-01', '1980-01-01', '1990-01-01', '2000-01-01', '2001-01-01', '2002-01-01', '2003-01-01', '1970-01-02'"
        #expect(try truths("i IN (\(ints))", b) == [.t, .t, .f, .u])
        #expect(try truths("u IN (\(ints))", b) == [.t, .t, .f, .u])
        #expect(try truths("i NOT IN (\(ints))", b) == [.f, .f, .t, .u])
        #expect(try truths("i IN (\(ints), NULL)", b) == [.t, .t, .u, .u])
        #expect(try truths("i NOT IN (\(ints), NULL)", b) == [.f, .f, .u, .u])
        #expect(try truths("s IN (\(strings))", b) == [.t, .t, .f, .u])
        #expect(try truths("s NOT IN (\(strings), NULL)", b) == [.f, .f, .u, .u])
        #expect(try truths("d IN (\(dates))", b) == [.t, .t, .f, .u])
        #expect(try truths("i IN (\(ints), 2.5)", b) == [.t, .t, .f, .u])
    }

    @Test func longListsBindToOneLookup() throws {
        let schema = Schema([Field("i", .int64), Field("f", .float64)])
        let ints = (1...10).map(String.init).joined(separator: ", ")
        func root(_ text: String) throws -> BoundPredicate {
            try ExpressionBinder(schema: schema).bindCondition(ExpressionParser.parse(text), nil)
        }
        guard case .memberOf = try root("i IN (\(ints))") else { Issue.record("expected a set lookup"); return }
        guard case .anyOf = try root("i IN (1, 2)") else { Issue.record("short lists stay OR chains"); return }
        guard case .anyOf = try root("f IN (\(ints))") else { Issue.record("floats stay OR chains"); return }
    }
}

import Testing
@testable import SluiceCore

@Suite struct ExpressionBinderTests {
    let schema = Schema([
        Field("id", .int64), Field("small", .int8), Field("count", .uint32), Field("score", .float64),
        Field("name", .string), Field("blob", .binary), Field("active", .bool), Field("day", .date),
        Field("at", .timestampUTC), Field("at_ms", .timestamp(unit: .milliseconds, timezone: nil)),
        Field("tags", .list(.string)),
    ])

    func check(_ text: String) throws {
        try ParsedExpression(parsing: text).check(against: schema)
    }

    @Test(arguments: [
        "id = 1", "small < count AND count <= score", "score > 9223372036854775808", "id IN (1, 2.5, 18446744073709551615)",
        "name = 'x'", "name < blob", "blob = 'raw'", "active", "NOT active", "active = TRUE", "(id > 1) = active",
        "day >= '2024-01-01'", "'2024-01-01' = day", "at > '2024-01-01T10:00:00Z'", "at_ms < '2024-01-01 10:00'",
        "at = '2024-01-01'", "day IN ('2024-01-01', '2024-02-29')", "tags IS NULL", "tags IS NOT NULL",
        "id = NULL", "name IN (NULL)", "TRUE", "NULL", "tags = NULL",
    ])
    func accepts(text: String) throws {
        try check(text)
    }

    @Test func unknownColumnNamesItAndTheAvailableOnes() {
        let error = #expect(throws: ExpressionError.self) { try check("id = 1 AND nme = 'x'") }
        #expect(error?.position == 12)
        #expect(error?.column == "nme")
        #expect(error?.message == "unknown column 'nme' (columns: \(schema.names.joined(separator: ", ")))")
    }

    @Test(arguments: [
        ("name = 1", 6, "cannot compare name (String) with 1 (Int64)"),
        ("id >= 'x'", 4, "cannot compare id (Int64) with 'x' (String)"),
        ("active = 1", 8, "cannot compare active (Bool) with 1 (Int64)"),
        ("score < TRUE", 7, "cannot compare score (Float64) with TRUE (Bool)"),
        ("day = at", 5, "cannot compare day (Date) with at (Timestamp[us; UTC])"),
        ("at = at_ms", 4, "cannot compare at (Timestamp[us; UTC]) with at_ms (Timestamp[ms])"),
        ("day = name", 5, "cannot compare day (Date) with name (String)"),
        ("day = 20240101", 5, "cannot compare day (Date) with 20240101 (Int64)"),
        ("tags = 'a'", 6, "cannot compare tags (List[String]) with 'a' (String)"),
        ("id IN (1, 'two', 3)", 11, "cannot compare id (Int64) with 'two' (String)"),
        ("id = 1 OR (id = 1) < 2", 20, "cannot compare (id = 1) (Bool) with 2 (Int64)"),
    ])
    func incomparableTypesPointAtTheOperatorOrItem(text: String, position: Int, message: String) {
        let error = #expect(throws: ExpressionError.self) {
            try check(text)
        }
        #expect(error?.position == position)
        #expect(error?.message == message)
    }

    @Test(arguments: [
        ("day = '2024-02-30'", 7, "'2024-02-30' is not a date (YYYY-MM-DD)"),
        ("day = 'yesterday'", 7, "'yesterday' is not a date (YYYY-MM-DD)"),
        ("at > '2024-01-01T25:00'", 6, "'2024-01-01T25:00' is not a timestamp (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+HH:MM])"),
        ("day IN ('2024-01-01', 'x')", 23, "'x' is not a date (YYYY-MM-DD)"),
    ])
    func badTemporalLiteralsPointAtTheLiteral(text: String, position: Int, message: String) {
        #expect(throws: ExpressionError(message, position: position)) { try check(text) }
    }

    @Test func aFilterMustBeACondition() {
        let error = #expect(throws: ExpressionError.self) { try check("active AND id") }
        #expect(error?.position == 12)
        #expect(error?.message == "id is Int64, not a condition; compare it with a value")
        #expect(throws: ExpressionError.self) { try check("'text'") }
        #expect(throws: ExpressionError.self) { try check("NOT name") }
    }

    @Test func builtExpressionsCheckWithoutPositions() {
        let e = Expression.compare(.equal, .column("name"), .literal(.int(1)))
        #expect(throws: ExpressionError("cannot compare name (String) with 1 (Int64)", column: "name")) {
            try e.check(against: schema)
        }
        #expect(throws: ExpressionError.self) {
            try Expression.compare(.equal, .column("id"), .literal(.list([1]))).check(against: schema)
        }
    }
}

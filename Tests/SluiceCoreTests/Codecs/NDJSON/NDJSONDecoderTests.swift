import Testing
@testable import SluiceCore

@Suite struct NDJSONDecoderTests {
    let schema = Schema([
        Field("id", .int64, nullable: false), Field("name", .string), Field("small", .int8),
        Field("f", .float64), Field("ts", .timestampUTC), Field("d", .date), Field("bin", .binary),
    ])

    func decode(_ text: String, _ schema: Schema? = nil, options: DecodeOptions = .init()) throws -> RecordBatch {
        try NDJSONDecoder.decode(CodecTestSupport.bytes(text), schema: schema ?? self.schema, options: options)
    }

    /// The single issue decoding `text` against the schema reports.
    func issue(_ text: String, _ schema: Schema? = nil, options: DecodeOptions = .init()) -> DataIssue? {
        let issues = CodecTestSupport.issues { try self.decode(text, schema, options: options) }
        #expect(issues?.count == 1, "\(issues ?? [])")
        return issues?.first
    }

    @Test func coercesLosslessly() throws {
        let batch = try decode("""
            {"f":3,"id":1,"small":-128,"ts":"2024-01-02T03:04:05.123456Z","d":"2024-01-02","bin":"aGk="}
            {"id":2,"ts":"2024-01-02T04:04:05+01:00","name":"\\u00e9\\ud83c\\udf89"}
            """)
        #expect(batch.rows == [
            [1, nil, -128, 3.0, .timestamp(1_704_164_645_123_456), .date(19_724), .binary(Array("hi".utf8))],
            [2, "é🎉", nil, nil, .timestamp(1_704_164_645_000_000), nil, nil],
        ])
    }

    @Test func skipsBlankLinesAndAcceptsCRLF() throws {
        let batch = try decode("\n{\"id\":1}\r\n  \r\n\n{\"id\":2}")
        #expect(batch.rows.map { $0[0] } == [1, 2])
    }

    @Test func acceptsAJSONArrayOfObjects() throws {
        let batch = try decode(" [ {\"id\":1},\n {\"id\":2, \"name\":\"x\"} ]\n")
        #expect(batch.rows.map { $0[0] } == [1, 2])
        #expect(try decode("[]").rowCount == 0)
        let inferred = try NDJSONDecoder.decode(CodecTestSupport.bytes("[{\"a\":1},{\"a\":2.5}]"), schema: nil)
        #expect(inferred.schema == Schema([Field("a", .float64)]))
    }

    @Test func issueInAJSONArrayIsLocated() {
        #expect(issue("[{\"id\":1},\n  {\"id\":\"x\"}]") == DataIssue(line: 2, column: 9, field: "id", "expected Int64, found string"))
    }

    @Test func truncatedObject() {
        #expect(issue("{\"id\":1}\n{\"id\":2,") == DataIssue(line: 2, column: 9, "expected a field name, found end of input"))
    }

    @Test func badToken() {
        #expect(issue("{\"id\":tru}") == DataIssue(line: 1, column: 7, field: "id", "expected Int64, found boolean"))
        #expect(issue("{\"id\":1,\"name\":nul}") == DataIssue(line: 1, column: 16, field: "name", "invalid token"))
        #expect(issue("{\"id\":1}x") == DataIssue(line: 1, column: 9, "expected the end of the line, found 'x'"))
        #expect(issue("[1]") == DataIssue(line: 1, column: 2, "expected '{' to start a row, found number"))
    }

    @Test func wrongType() {
        #expect(issue("{\"id\":1}\n{\"id\":\"7\"}") == DataIssue(line: 2, column: 7, field: "id", "expected Int64, found string"))
        #expect(issue("{\"id\":1,\"name\":5}") == DataIssue(line: 1, column: 16, field: "name", "expected String, found number"))
    }

    @Test func floatIntoIntegerColumnIsRejected() {
        #expect(issue("{\"id\":1.0}") == DataIssue(line: 1, column: 7, field: "id", "expected Int64, found a number with a fraction or exponent"))
    }

    @Test func outOfRangeInteger() {
        #expect(issue("{\"id\":1,\"small\":128}") == DataIssue(line: 1, column: 17, field: "small", "128 is out of range for Int8"))
        #expect(issue("{\"id\":9223372036854775808}") == DataIssue(line: 1, column: 7, field: "id", "9223372036854775808 is out of range for Int64"))
    }

    @Test func unknownAndDuplicateFields() {
        #expect(issue("{\"id\":1,\"x\":2}") == DataIssue(line: 1, column: 9, field: "x", "unknown field 'x'"))
        #expect(issue("{\"id\":1,\"id\":2}") == DataIssue(line: 1, column: 9, field: "id", "duplicate field 'id'"))
    }

    /// The expected key is matched in place (its bytes and closing quote); anything else
    /// (another order, an escape, a longer key, a name needing escapes) takes the general path.
    @Test func keysMatchInAnyOrderAndSpelling() throws {
        let names = (1...20).map { String(repeating: "k", count: $0 - 1) + "\($0 % 10)" }
        let wide = Schema(names.map { Field($0, .int64) })
        let inOrder = "{" + names.enumerated().map { "\"\($1)\":\($0)" }.joined(separator: ",") + "}"
        let reversed = "{" + names.enumerated().reversed().map { "\"\($1)\":\($0)" }.joined(separator: ",") + "}"
        let batch = try decode(inOrder + "\n" + reversed, wide)
        #expect(batch.rows == [(0..<20).map { .int(Int64($0)) }, (0..<20).map { .int(Int64($0)) }])

        let prefixes = Schema([Field("ab", .int64), Field("abc", .int64), Field("a\"b", .int64)])
        #expect(try decode("{\"abc\":1,\"ab\":2,\"a\\\"b\":3}\n{\"a\\u0062\":4}", prefixes).rows == [[2, 1, 3], [4, nil, nil]])
        #expect(issue("{\"ab\":1,\"abcd\":2}", prefixes) == DataIssue(line: 1, column: 9, field: "abcd", "unknown field 'abcd'"))
        #expect(issue("{\"a\"b\":1}", prefixes) == DataIssue(line: 1, column: 2, field: "a", "unknown field 'a'"))
    }

    /// Numbers of every digit count round to the same Double as the standard parser, and
    /// integers up to 20 digits stay exact.
    @Test func longNumbersParseExactly() throws {
        let texts = ["0.7919", "0.12345678901234567890123", "123456789012345678901234567890", "1.7976931348623157e308",
                     "0.000000000000000000001", "-12345678901234567.5", "9999999999999999999", "1e-7", "4.9e-324"]
        let floats = Schema([Field("f", .float64)])
        for text in texts {
            #expect(try decode("{\"f\":\(text)}", floats).rows == [[.float(Double(text)!)]], "\(text)")
        }
        let unsigned = Schema([Field("u", .uint64)])
        #expect(try decode("{\"u\":18446744073709551615}\n{\"u\":1000000000000000000}", unsigned).rows == [[.uint(.max)], [.uint(1_000_000_000_000_000_000)]])
        #expect(issue("{\"u\":18446744073709551616}", unsigned) == DataIssue(line: 1, column: 6, field: "u", "18446744073709551616 is out of range for UInt64"))
    }

    @Test func missingOrNullNonNullableField() {
        #expect(issue("{\"id\":1}\n  {\"name\":\"a\"}") == DataIssue(line: 2, column: 3, field: "id", "missing non-nullable field 'id'"))
        #expect(issue("{\"id\":null}") == DataIssue(line: 1, column: 7, field: "id", "null in a non-nullable field"))
    }

    @Test func badTimestampAndBase64() {
        #expect(issue("{\"id\":1,\"ts\":\"2024-13-01T00:00:00Z\"}")?.message == "expected an ISO 8601 timestamp for Timestamp[us; UTC], found '2024-13-01T00:00:00Z'")
        #expect(issue("{\"id\":1,\"bin\":\"a*==\"}")?.column == 15)
    }

    @Test func overlongLine() {
        let options = DecodeOptions(maxLineLength: 10)
        #expect(issue("{\"id\":1}\n{\"id\":12345}\n{\"id\":3}", options: options) == DataIssue(line: 2, column: 11, "line is longer than the maximum of 10 bytes"))
        var decoder = NDJSONDecoder(schema: schema, options: options)
        let first = try? CodecTestSupport.bytes("{\"id\":1}\n{\"id\":").withUnsafeBytes { try decoder.feed($0) }
        #expect(first?.isEmpty == true)
        _ = try? CodecTestSupport.bytes("123456789012").withUnsafeBytes { try decoder.feed($0) }
        let finish = CodecTestSupport.issues { try decoder.finish() }
        #expect(finish == [DataIssue(line: 2, column: 11, "line is longer than the maximum of 10 bytes")])
    }

    @Test func invalidUTF8AndControlCharacters() {
        var bytes = CodecTestSupport.bytes("{\"id\":1,\"name\":\"ab")
        bytes += [0xC3, 0x28]
        bytes += CodecTestSupport.bytes("\"}")
        let issues = CodecTestSupport.issues { try NDJSONDecoder.decode(bytes, schema: self.schema) }
        #expect(issues == [DataIssue(line: 1, column: 19, field: "name", "invalid UTF-8 in a string")])
        #expect(issue("{\"id\":1,\"name\":\"a\tb\"}")?.column == 18)
    }

    @Test func deepNestingIsLimited() {
        let deep = Schema([Field("a", (0..<80).reduce(DataType.int64) { t, _ in .list(t) })])
        let text = "{\"a\":" + String(repeating: "[", count: 80) + String(repeating: "]", count: 80) + "}"
        #expect(issue(text, deep)?.message == "nested deeper than 64 levels")
        #expect(CodecTestSupport.issues { try NDJSONDecoder.decode(CodecTestSupport.bytes(text), schema: nil) }?.first?.message == "nested deeper than 64 levels")
    }

    @Test func collectsIssuesUpToTheCapAndYieldsNoBatchAfterTheFirst() throws {
        let text = CodecTestSupport.bytes((1...10).map { _ in "{\"id\":\"x\"}\n" }.joined())
        let issues = CodecTestSupport.issues { try NDJSONDecoder.decode(text, schema: self.schema, options: .init(maxIssues: 3)) }
        #expect(issues?.map(\.line) == [1, 2, 3])

        var decoder = NDJSONDecoder(schema: schema, options: .init(batchRows: 1))
        let good = try CodecTestSupport.bytes("{\"id\":1}\n{\"id\":\"x\"}\n{\"id\":3}\n").withUnsafeBytes { try decoder.feed($0) }
        #expect(good.isEmpty)
        #expect(CodecTestSupport.issues { try decoder.finish() }?.map(\.line) == [2])
    }
}

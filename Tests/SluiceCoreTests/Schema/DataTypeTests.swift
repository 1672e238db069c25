import Foundation
import Testing
import SluiceCore

/// Daft's display names, and reading them back.
@Suite struct DataTypeTests {
    @Test(arguments: [
        "Null", "Bool", "Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
        "Float32", "Float64", "String", "Binary", "Date", "Timestamp[us; UTC]", "Timestamp[ns]",
        "Timestamp[ms; +05:30]", "List[String]", "List[List[Int64]]", "Struct[a: Int64, b: String]",
        "Struct[point: Struct[x: Float64, y: Float64], tags: List[String]]", "List[Struct[when: Timestamp[s; UTC]]]",
        "Struct[]",
    ])
    func displayNamesRoundTrip(name: String) throws {
        let type = try DataType(parsing: name)
        #expect(type.description == name)
        #expect(try DataType(parsing: type.description) == type)
    }

    @Test func nestedTypesParseToTheirStructure() throws {
        let type = try DataType(parsing: "List[Struct[id: Int64, at: Timestamp[us; UTC]]]")
        #expect(type == .list(.structure([Field("id", .int64), Field("at", .timestamp(unit: .microseconds, timezone: "UTC"))])))
        #expect(try DataType(parsing: "Utf8") == .string)
        #expect(try DataType(parsing: " List[ Int64 ] ") == .list(.int64))
    }

    @Test(arguments: [
        ("Int65", "unknown type 'Int65'"), ("List[Int64", "expected ']'"), ("Timestamp[minutes]", "unknown time unit"),
        ("Struct[: Int64]", "expected a field name"), ("", "expected a type name"), ("Int64]", "unexpected text"),
        ("Timestamp[us;]", "empty time zone"),
    ])
    func badNamesSayWhatIsWrong(text: String, message: String) {
        #expect {
            try DataType(parsing: text)
        } throws: { error in
            (error as? SchemaError)?.message.contains(message) == true
        }
    }

    @Test func rangesOfIntegerTypes() {
        #expect(DataType.int8.signedRange == -128...127)
        #expect(DataType.uint16.unsignedMax == 65535)
        #expect(DataType.string.signedRange == nil)
        #expect(DataType.float32.isNumeric && !DataType.date.isNumeric && !DataType.timestampUTC.isNumeric)
    }
}

@Suite struct SchemaTests {
    @Test func jsonFormIsAnArrayOfFields() throws {
        let schema = Schema([Field("id", .int64, nullable: false), Field("tags", .list(.string))])
        let json = String(decoding: try JSONEncoder().encode(schema), as: UTF8.self)
        #expect(json.contains(#""type":"List[String]""#) && json.hasPrefix("["))
        #expect(try JSONDecoder().decode(Schema.self, from: Data(json.utf8)) == schema)
        // nullable defaults to true when absent
        let read = try JSONDecoder().decode(Schema.self, from: Data(#"[{"name":"a","type":"Date"}]"#.utf8))
        #expect(read == Schema([Field("a", .date)]))
    }

    @Test func namesAreUniqueAndNonEmpty() {
        #expect(throws: SchemaError.self) { try Schema(validating: [Field("a", .int64), Field("a", .string)]) }
        #expect(throws: SchemaError.self) { try Schema(validating: [Field("", .int64)]) }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Schema.self, from: Data(#"[{"name":"a","type":"Nope"}]"#.utf8))
        }
    }

    @Test func projectionKeepsTheAskedOrderAndNamesUnknownColumns() throws {
        let schema = Schema([Field("a", .int64), Field("b", .string), Field("c", .bool)])
        #expect(try schema.project(["c", "a"]).names == ["c", "a"])
        #expect { try schema.project(["z"]) } throws: { ($0 as? SchemaError)?.column == "z" }
    }
}

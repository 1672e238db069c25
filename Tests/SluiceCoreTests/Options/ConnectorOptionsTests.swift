import Testing
import SluiceCore

/// Typed option access with the config path in every error.
@Suite struct ConnectorOptionsTests {
    func options(_ entries: [(String, OptionValue)]) throws -> ConnectorOptions {
        try ConnectorOptions(.map(entries), path: "connectors[1].options", baseDirectory: "/etc/sluice")
    }

    @Test func errorsNameTheOptionsPath() throws {
        let o = try options([("max_rows_per_file", .int(0)), ("paths", .list([.string("a"), .int(3)])), ("mode", .string("merge"))])
        #expect { try o.int("max_rows_per_file", min: 1) } throws: {
            "\($0)" == "connectors[1].options.max_rows_per_file: must be a positive integer"
        }
        #expect { try o.strings("paths") } throws: { "\($0)" == "connectors[1].options.paths[1]: must be a string" }
        #expect { try o.choice("mode", ["append", "upsert"]) } throws: { "\($0)".contains("must be one of append, upsert") }
        #expect { try o.requiredString("output_dir") } throws: { "\($0)" == "connectors[1].options.output_dir: is required" }
    }

    @Test func unknownOptionsAreRefusedOnFinish() throws {
        let o = try options([("n", .int(5)), ("partitons", .int(2))])
        #expect(try o.int("n") == 5)
        #expect { try o.finish() } throws: { "\($0)" == "connectors[1].options.partitons: unknown option (options: n)" }
    }

    @Test func schemasPathsAndScalars() throws {
        let o = try options([
            ("schema", .map([("id", .string("Int64")), ("at", .string("Timestamp[us; UTC]"))])),
            ("path", .string("data/x.csv")), ("ratio", .int(2)), ("on", .bool(true)),
        ])
        #expect(try o.schema("schema") == Schema([Field("id", .int64), Field("at", .timestampUTC)]))
        #expect(o.resolve(try o.requiredString("path")) == "/etc/sluice/data/x.csv")
        #expect(o.resolve("/abs") == "/abs")
        #expect(try o.double("ratio") == 2 && o.bool("on") == true && o.string("missing") == nil)
        let bad = try options([("schema", .map([("id", .string("Int99"))]))])
        #expect { try bad.schema("schema") } throws: { "\($0)".hasPrefix("connectors[1].options.schema.id: ") }
    }
}

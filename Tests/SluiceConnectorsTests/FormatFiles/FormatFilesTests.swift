import Foundation
import Testing
import SluiceCore
@testable import SluiceConnectors

@Suite struct FormatFilesTests {
    static let schema = Schema([
        Field("id", .int64), Field("name", .string), Field("score", .float64), Field("active", .bool),
    ])

    static func rows(_ ids: ClosedRange<Int>) -> [[Value]] {
        ids.map { i in
            [.int(Int64(i)), i % 5 == 0 ? .null : .string("User \(i), \"quoted\"\nsecond line é"), .float(Double(i) / 4), .bool(i % 2 == 0)]
        }
    }

    /// Writes rows through the `<format>-files` sink and returns the output directory.
    static func writeThroughSink(_ format: FileFormat, _ dir: TemporaryDirectory, rows: [[Value]], perFile: Int) async throws -> String {
        let type = format == .ndjson ? BuiltinConnectors.ndjsonFiles : BuiltinConnectors.csvFiles
        let out = dir.path + "/out"
        let sink = try sinkFactory(of: makeConnector(type, [("output_dir", .string(out)), ("max_rows_per_file", .int(perFile))])).make()
        let results = try await sink.write(RecordBatchStream([try RecordBatch(schema: schema, rows: rows)]))
        _ = try await sink.finalize(results)
        #expect(try dir.entries("out").allSatisfy { $0.hasSuffix("." + format.fileExtension) })
        return out
    }

    static func sorted(_ rows: [[Value]]) -> [[Value]] {
        rows.sorted { if case let .int(a) = $0[0], case let .int(b) = $1[0] { return a < b }; return false }
    }

    @Test(arguments: FileFormat.allCases)
    func roundTripWithADeclaredSchema(format: FileFormat) async throws {
        let dir = try TemporaryDirectory()
        let expected = Self.rows(1...25)
        let out = try await Self.writeThroughSink(format, dir, rows: expected, perFile: 7)
        #expect(try dir.entries("out").count == 4)
        let type = format == .ndjson ? BuiltinConnectors.ndjsonFiles : BuiltinConnectors.csvFiles
        let declared: OptionValue = .list(Self.schema.map {
            .map([("name", .string($0.name)), ("type", .string($0.type.description))])
        })
        let source = try source(of: makeConnector(type, [("paths", .string(out + "/*." + format.fileExtension)), ("schema", declared)]))
        #expect(source.schema == Self.schema)
        #expect(Self.sorted(try await readRows(source)) == expected)
    }

    @Test(arguments: FileFormat.allCases)
    func roundTripWithAnInferredSchema(format: FileFormat) async throws {
        let dir = try TemporaryDirectory()
        let expected = Self.rows(1...12)
        let out = try await Self.writeThroughSink(format, dir, rows: expected, perFile: 100)
        let type = format == .ndjson ? BuiltinConnectors.ndjsonFiles : BuiltinConnectors.csvFiles
        let source = try source(of: makeConnector(type, [("paths", .string(out + "/*"))]))
        #expect(source.schema.names == Self.schema.names)
        #expect(source.schema.map(\.type) == Self.schema.map(\.type))
        #expect(Self.sorted(try await readRows(source)) == expected)
    }

    /// ISO 8601 text is inferred as Date or Timestamp (with or without a zone) when every
    /// sampled value agrees; `infer_times: false` keeps it String.
    @Test func isoTextIsInferredAsDatesAndTimestamps() async throws {
        let dir = try TemporaryDirectory()
        let ndjson = try dir.write("e.ndjson", #"""
            {"day":"2026-11-02","at":"2026-11-02T09:15:00Z","local":"2026-11-02 09:15:00","mixed":"2026-11-02","word":"x"}
            {"day":"2026-11-03","at":"2026-11-02T10:15:00+02:00","local":"2026-11-02T09:16:00.5","mixed":"2026-11-02T09:15:00Z","word":null}

            """#)
        let events = try FormatFileSource(format: .ndjson, files: [ndjson])
        #expect(events.schema == Schema([
            Field("day", .date), Field("at", .timestampUTC), Field("local", .timestamp(unit: .microseconds, timezone: nil)),
            Field("mixed", .string), Field("word", .string),
        ]))
        #expect(try await servedRows(events, Pushdowns(columns: ["at"])) == [[.timestamp(1_793_607_300_000_000)], [.timestamp(1_793_610_900_000_000)]])
        let csv = try dir.write("e.csv", "day,n\n2026-11-02,1\n,2\n")
        #expect(try FormatFileSource(format: .csv, files: [csv]).schema == Schema([Field("day", .date), Field("n", .int64)]))
        let strings = try source(of: makeConnector(BuiltinConnectors.ndjsonFiles, [("paths", .string(ndjson)), ("infer_times", .bool(false))]))
        #expect(strings.schema.fields.allSatisfy { $0.type == .string })
    }

    @Test func ndjsonFilesSplitIntoLineAlignedTasks() async throws {
        let dir = try TemporaryDirectory()
        let lines = (1...200).map { "{\"id\":\($0),\"name\":\"\(String(repeating: "n", count: $0 % 23))\"}" }
        let file = try dir.write("rows.ndjson", lines.joined(separator: "\n") + "\n")
        let schema = Schema([Field("id", .int64), Field("name", .string)])
        for splitBytes in [5, 64, 333, 1 << 20] {
            let source = try FormatFileSource(format: .ndjson, files: [file], schema: schema, splitBytes: splitBytes)
            let ids = try await readRows(source).map { $0[0] }
            #expect(ids == (1...200).map { .int(Int64($0)) }, "split_bytes \(splitBytes)")
        }
        let csv = try dir.write("rows.csv", "id\n" + (1...200).map(String.init).joined(separator: "\n") + "\n")
        #expect(try await FormatFileSource(format: .csv, files: [csv], splitBytes: 5).tasks(.none).count == 1)
    }

    @Test func decodeErrorsNameTheFileAndTheLineInTheFile() async throws {
        let dir = try TemporaryDirectory()
        var lines = (1...50).map { "{\"id\":\($0)}" }
        lines[41] = "{\"id\": \"forty-two\"}"
        let file = try dir.write("bad.ndjson", lines.joined(separator: "\n") + "\n")
        let schema = Schema([Field("id", .int64)])
        for splitBytes in [1 << 20, 100] {
            let source = try FormatFileSource(format: .ndjson, files: [file], schema: schema, splitBytes: splitBytes)
            await #expect {
                _ = try await readRows(source)
            } throws: { error in
                guard let e = error as? ConnectorError else { return false }
                return e.path == file && e.line == 42 && e.connector == "ndjson-files"
            }
        }
    }

    @Test func limitAndColumns() async throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("r.ndjson", (1...10).map { "{\"id\":\($0),\"name\":\"n\($0)\"}\n" }.joined())
        let source = try FormatFileSource(format: .ndjson, files: [file])
        #expect(try await readRows(source, Pushdowns(columns: ["name"], limit: 2)) == [["n1"], ["n2"]])
    }

    @Test func sourceOrSinkIsDecidedByOptions() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("a.csv", "x,y\n1,2\n")
        #expect(try makeConnector(BuiltinConnectors.csvFiles, [("paths", .string(file))]).kind == .source)
        #expect(try makeConnector(BuiltinConnectors.csvFiles, [("output_dir", .string(dir.path + "/o"))]).kind == .sink)
        #expect(try makeConnector(BuiltinConnectors.ndjsonFiles, [("output_dir", .string(dir.path + "/o"))], kind: .sink).kind == .sink)
        #expect(optionErrorText { _ = try makeConnector(BuiltinConnectors.csvFiles, []) }
                == "connectors[0].options: csv-files needs paths (to read files) or output_dir (to write them)")
        #expect(optionErrorText { _ = try makeConnector(BuiltinConnectors.csvFiles, [("paths", .string(file)), ("split_bytes", .int(10))]) }?.hasPrefix("connectors[0].options.split_bytes: unknown option") == true)
        #expect(optionErrorText { _ = try makeConnector(BuiltinConnectors.ndjsonFiles, [("paths", .string(file)), ("schema", .int(3))]) }
                == "connectors[0].options.schema: must be a mapping of column names to types")
        let empty = try dir.write("empty.ndjson", "")
        #expect(optionErrorText { _ = try makeConnector(BuiltinConnectors.ndjsonFiles, [("paths", .string(empty))]) }?
                .hasPrefix("connectors[0].options.paths: cannot infer a schema from \(empty)") == true)
    }

    @Test func ndjsonSinkTakesAnInputSchema() throws {
        let dir = try TemporaryDirectory()
        let factory = try sinkFactory(of: makeConnector(BuiltinConnectors.ndjsonFiles,
                                                        [("output_dir", .string(dir.path)), ("schema", .map([("id", .string("Int64"))]))]))
        #expect(factory.prototype.inputSchema == Schema([Field("id", .int64)]))
        #expect(try sinkFactory(of: makeConnector(BuiltinConnectors.localFiles, [("output_dir", .string(dir.path))])).prototype.inputSchema == nil)
    }
}

import Testing
import SluiceCore
@testable import SluiceConnectors

/// A sink whose finalize does not return its declared summary schema.
private final class WrongSummarySink: DataSink {
    var name: String { "wrong summary" }
    var schema: Schema { FileSink.summarySchema }
    func write(_ batches: RecordBatchStream) async throws -> [WriteResult<Int>] { [] }
    func finalize(_ results: [WriteResult<Int>]) async throws -> RecordBatch {
        try RecordBatch(schema: Schema([Field("files_written", .int32)]), rows: [[1]])
    }
}

@Suite struct SinkContractTests {
    @Test func finalizeWithAWrongSchemaFails() async throws {
        let sink = WrongSummarySink()
        await #expect(throws: ConnectorError.self) { _ = try await sink.finalizeChecked([]) }
        await #expect(throws: ConnectorError.self) { _ = try await AnyDataSink(sink).finalize([]) }
    }

    @Test func everyBuiltinSinkFinalizesToItsSchema() async throws {
        let dir = try TemporaryDirectory()
        let sinks = [
            AnyDataSink(DiscardSink()),
            AnyDataSink(try FileSink(format: .ndjson, outputDirectory: dir.path + "/n")),
            AnyDataSink(try FileSink(format: .csv, outputDirectory: dir.path + "/c")),
        ]
        let batch = try RecordBatch(schema: Schema([Field("a", .int64)]), rows: [[1], [2]])
        for sink in sinks {
            let results = try await sink.write(RecordBatchStream([batch]))
            let summary = try await sink.finalize(results)
            #expect(summary.schema == sink.schema)
            #expect(summary.rowCount == 1)
        }
    }

    @Test func builtinTypesAreListedOnce() {
        let names = BuiltinConnectors.all.map(\.name)
        #expect(names == ["text-file", "local-files", "range", "discard", "ndjson-files", "csv-files", "sqlite", "postgres"])
    }
}

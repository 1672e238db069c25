import Testing
import SluiceCore
@testable import SluiceConnectors

@Suite struct DiscardSinkTests {
    @Test func countsRowsBytesAndBatches() async throws {
        let factory = try sinkFactory(of: makeConnector(BuiltinConnectors.discard, []))
        let sink = try factory.make()
        try await sink.start()
        let batches = try await RangeSource(rowCount: 250, batchRows: 100).tasks(.none)[0].read().collect()
        let first = try await sink.write(RecordBatchStream(batches))
        let empty = try await sink.write(RecordBatchStream([RecordBatch]()))
        #expect(first.count == 1 && first[0].rowsWritten == 250)
        #expect(first[0].bytesWritten == Int64(batches.reduce(0) { $0 + $1.byteSize }))
        #expect(empty[0].rowsWritten == 0)
        let summary = try await sink.finalize(first + empty)
        #expect(summary.schema == DiscardSink.summarySchema)
        #expect(summary.rows == [[250, .int(first[0].bytesWritten), 3]])
    }

    @Test func noResultsSummariseAsZeros() async throws {
        let summary = try await AnyDataSink(DiscardSink()).finalize([])
        #expect(summary.rows == [[0, 0, 0]])
    }

    @Test func rejectsOptions() {
        #expect(optionErrorText { _ = try makeConnector(BuiltinConnectors.discard, [("n", .int(1))]) }?.hasPrefix("connectors[0].options.n: unknown option") == true)
    }
}

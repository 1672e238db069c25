import Foundation
import Testing
import SluiceCore
@testable import SluiceConnectors

@Suite struct FileSinkTests {
    static let userSchema = Schema([Field("id", .int64), Field("name", .string)])

    static func users(_ ids: ClosedRange<Int>) throws -> RecordBatch {
        try RecordBatch(schema: userSchema, rows: ids.map { [.int(Int64($0)), .string("User_\($0)")] })
    }

    static func localFiles(_ dir: String, _ extra: [(String, OptionValue)] = []) throws -> AnyDataSink {
        try sinkFactory(of: makeConnector(BuiltinConnectors.localFiles, [("output_dir", .string(dir))] + extra)).make()
    }

    @Test func theSeedsThousandUsersMakeAHundredFilesOfTenLines() async throws {
        let dir = try TemporaryDirectory()
        let out = dir.path + "/output_folder"
        let sink = try Self.localFiles(out, [("filename_prefix", .string("users")), ("max_rows_per_file", .int(10))])
        try await sink.start()
        // Batches that do not line up with files: rows of one write fill files across batches.
        let batches = [try Self.users(1...333), try Self.users(334...1000)]
        let results = try await sink.write(RecordBatchStream(batches))
        #expect(results.count == 100)
        #expect(try dir.entries("output_folder").isEmpty, "staged files stay hidden until finalize")
        #expect(dir.staged("output_folder").count == 100)
        let summary = try await sink.finalize(results.shuffled())
        #expect(dir.staged("output_folder").isEmpty)

        let names = try dir.entries("output_folder")
        #expect(names.count == 100)
        let pattern = try Regex("^users_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\.ndjson$")
        var ids: [Int] = []
        var totalBytes = 0
        for name in names {
            #expect(name.wholeMatch(of: pattern) != nil, "\(name)")
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/" + name))
            totalBytes += data.count
            let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 11 && lines.last == "", "10 lines, each ending in a newline")
            for line in lines.dropLast() {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let id = try #require(object["id"] as? Int)
                #expect(object["name"] as? String == "User_\(id)")
                #expect(line == "{\"id\":\(id),\"name\":\"User_\(id)\"}")
                ids.append(id)
            }
        }
        #expect(ids.sorted() == Array(1...1000))
        #expect(results.reduce(0) { $0 + $1.bytesWritten } == Int64(totalBytes))
        #expect(summary.schema == Schema([Field("files_written", .int64), Field("total_rows", .int64),
                                          Field("total_bytes", .int64), Field("output_directory", .string)]))
        #expect(summary.rows == [[100, 1000, .int(Int64(totalBytes)), .string(out)]])
    }

    @Test func eachResultNamesItsFileRowsAndBytes() async throws {
        let dir = try TemporaryDirectory()
        let sink = try Self.localFiles(dir.path, [("max_rows_per_file", .int(4))])
        let results = try await sink.write(RecordBatchStream([try Self.users(1...10)]))
        let typed = try results.map { try $0.typed(FileSink.WrittenFile.self) }
        #expect(typed.map(\.rowsWritten) == [4, 4, 2])
        _ = try await sink.finalize(results)
        for result in typed {
            #expect(result.result.file.hasPrefix("data_") && result.result.file.hasSuffix(".ndjson"))
            #expect(result.result.path == dir.path + "/" + result.result.file)
            let size = try FileManager.default.attributesOfItem(atPath: result.result.path)[.size] as? Int
            #expect(Int64(size ?? -1) == result.bytesWritten)
        }
    }

    @Test func emptyWritesMakeNoFilesAndTheSummaryIsEmptyAsInTheSeed() async throws {
        let dir = try TemporaryDirectory()
        let sink = try Self.localFiles(dir.path)
        let results = try await sink.write(RecordBatchStream([RecordBatch.empty(Self.userSchema)]))
        #expect(results.isEmpty)
        #expect(try dir.entries().isEmpty)
        let summary = try await sink.finalize([])
        #expect(summary.rowCount == 0 && summary.schema == FileSink.summarySchema)
    }

    @Test func abortRemovesEverythingTheSessionStaged() async throws {
        let dir = try TemporaryDirectory()
        let sink = try Self.localFiles(dir.path, [("max_rows_per_file", .int(3))])
        let first = try await sink.write(RecordBatchStream([try Self.users(1...3)]))
        _ = try await sink.write(RecordBatchStream([try Self.users(4...10)]))
        #expect(dir.staged().count == 4)
        try await sink.abort(first)
        #expect(dir.staged().isEmpty)
        #expect(try dir.entries().isEmpty)
        try await sink.abort([])
        try await sink.abort(first)
    }

    @Test func resumeKeepsWhatTheResultsNameAndRemovesTheRest() async throws {
        let dir = try TemporaryDirectory()
        let factory = try sinkFactory(of: makeConnector(BuiltinConnectors.localFiles, [("output_dir", .string(dir.path))]))
        let session = WriteSessionID.random()
        let before = try factory.make(session: session)
        let acknowledged = try await before.write(RecordBatchStream([try Self.users(1...10)]))
        _ = try await before.write(RecordBatchStream([try Self.users(11...20)]))  // cut off: never recorded
        #expect(dir.staged().count == 2)
        // After a restart: a fresh instance for the same session, told what was acknowledged.
        let after = try factory.make(session: session)
        try await after.resume(acknowledged)
        #expect(dir.staged().count == 1)
        let more = try await after.write(RecordBatchStream([try Self.users(21...30)]))
        let summary = try await after.finalize(acknowledged + more)
        #expect(summary.rows == [[2, 20, .int((acknowledged + more).reduce(0) { $0 + $1.bytesWritten }), .string(dir.path)]])
        #expect(try dir.entries().count == 2 && dir.staged().isEmpty)
    }

    @Test func aFinalizeRunAgainAfterACrashMovesNothingTwice() async throws {
        let dir = try TemporaryDirectory()
        let factory = try sinkFactory(of: makeConnector(BuiltinConnectors.localFiles,
                                                        [("output_dir", .string(dir.path)), ("max_rows_per_file", .int(10))]))
        let session = WriteSessionID.random()
        let sink = try factory.make(session: session)
        let results = try await sink.write(RecordBatchStream([try Self.users(1...25)]))
        _ = try await sink.finalize(results)
        let again = try await factory.make(session: session).finalize(results)
        #expect(again.rows == [[3, 25, .int(results.reduce(0) { $0 + $1.bytesWritten }), .string(dir.path)]])
        #expect(try dir.entries().count == 3)
    }

    @Test func removeStagingKeepsOnlyTheListedSessions() async throws {
        let dir = try TemporaryDirectory()
        let factory = try sinkFactory(of: makeConnector(BuiltinConnectors.localFiles, [("output_dir", .string(dir.path))]))
        let (kept, orphan) = (WriteSessionID.random(), WriteSessionID.random())
        _ = try await factory.make(session: kept).write(RecordBatchStream([try Self.users(1...5)]))
        _ = try await factory.make(session: orphan).write(RecordBatchStream([try Self.users(6...9)]))
        try await factory.prototype.removeStaging(keeping: [kept])
        #expect(dir.staged().count == 1 && dir.staged()[0].hasPrefix(kept + "/"))
    }

    @Test func aWriteThatFailsPartWayLeavesNothing() async throws {
        let dir = try TemporaryDirectory()
        let sink = try Self.localFiles(dir.path, [("max_rows_per_file", .int(2))])
        let first = try Self.users(1...5)
        let failing = RecordBatchStream {
            let state = FailAfterFirst(first)
            return { try state.next() }
        }
        await #expect(throws: SchemaError.self) { _ = try await sink.write(failing) }
        #expect(try dir.entries().isEmpty && dir.staged().isEmpty, "no files and no temporary files")
    }

    @Test func aNewFileStartsWhenTheSchemaChanges() async throws {
        let dir = try TemporaryDirectory()
        let sink = try Self.localFiles(dir.path, [("max_rows_per_file", .int(100))])
        let other = try RecordBatch(schema: Schema([Field("x", .bool)]), rows: [[true]])
        let results = try await sink.write(RecordBatchStream([try Self.users(1...2), other, try Self.users(3...3)]))
        #expect(results.map(\.rowsWritten) == [2, 1, 1])
    }

    @Test func theTypesDefaultSuitsRealData() async throws {
        let dir = try TemporaryDirectory()
        let sink = try sinkFactory(of: makeConnector(BuiltinConnectors.localFiles, [("output_dir", .string(dir.path))])).make()
        _ = try await sink.finalize(try await sink.write(RecordBatchStream([try Self.users(1...1000)])))
        #expect(try dir.entries().count == 1)
    }

    @Test func optionErrorsCarryTheirPath() throws {
        let dir = try TemporaryDirectory()
        #expect(optionErrorText { _ = try Self.localFiles(dir.path, [("max_rows_per_file", .int(0))]) }
                == "connectors[0].options.max_rows_per_file: must be a positive integer")
        #expect(optionErrorText { _ = try Self.localFiles(dir.path, [("max_rows_per_file", .string("ten"))]) }
                == "connectors[0].options.max_rows_per_file: must be a positive integer")
        #expect(optionErrorText { _ = try makeConnector(BuiltinConnectors.localFiles, []) }
                == "connectors[0].options.output_dir: is required")
        #expect(optionErrorText { _ = try Self.localFiles(dir.path, [("filename_prefix", .string("a/b"))]) }
                == "connectors[0].options.filename_prefix: must be a non-empty name without '/'")
        #expect(optionErrorText { _ = try Self.localFiles(dir.path, [("schema", .map([("id", .string("Int64"))]))]) }?.hasPrefix("connectors[0].options.schema: unknown option") == true)
    }

    /// Making the sink creates nothing (`validate-config` has no side effects); its first
    /// write creates the folder.
    @Test func outputDirIsCreatedByTheFirstWriteAndResolvedAgainstTheConfigFolder() async throws {
        let dir = try TemporaryDirectory()
        let connector = try makeConnector(BuiltinConnectors.localFiles, [("output_dir", .string("a/b"))], base: dir.path)
        let factory = try sinkFactory(of: connector)
        #expect(factory.prototype.name.hasSuffix(dir.path + "/a/b"))
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/a"))
        let sink = try factory.make()
        let results = try await sink.write(RecordBatchStream([try RecordBatch(schema: Schema([Field("id", .int64)]), rows: [[1]])]))
        _ = try await sink.finalize(results)
        #expect(try dir.entries("a") == ["b"])
        let file = try dir.write("plain", "x")
        #expect(throws: ConnectorError.self) {
            _ = try makeConnector(BuiltinConnectors.localFiles, [("output_dir", .string(file))], base: dir.path)
        }
    }
}

/// Yields one batch, then fails: an upload that breaks part way.
private final class FailAfterFirst: @unchecked Sendable {
    private var batch: RecordBatch?
    init(_ batch: RecordBatch) { self.batch = batch }
    func next() throws -> RecordBatch? {
        guard let b = batch else { throw SchemaError("broken upload") }
        batch = nil
        return b
    }
}

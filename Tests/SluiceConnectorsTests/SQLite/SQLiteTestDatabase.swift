import Testing
import SluiceCore
@testable import SluiceConnectors

/// A SQLite file in a temporary directory, with helpers to run SQL on it directly.
final class SQLiteTestDatabase {
    let directory: TemporaryDirectory
    let path: String

    init() throws {
        directory = try TemporaryDirectory()
        path = directory.path + "/test.db"
    }

    func execute(_ sql: String) throws {
        try SQLiteDatabase(path: path, readOnly: false).execute(sql)
    }

    /// The first column of every row of `sql`, as text.
    func strings(_ sql: String) throws -> [String] {
        let statement = try SQLiteDatabase(path: path, readOnly: false).prepare(sql)
        var out: [String] = []
        while try statement.step() { out.append(statement.text(0)) }
        return out
    }

    func count(_ table: String) throws -> Int {
        Int(try strings("SELECT count(*) FROM \"\(table)\"")[0])!
    }

    /// Table names, staging tables included.
    func tables() throws -> [String] {
        try strings("SELECT name FROM sqlite_master WHERE type = 'table' AND name != '_sluice_finalized' ORDER BY name")
    }

    func source(_ options: [(String, OptionValue)]) throws -> any DataSource {
        try SluiceConnectorsTests.source(of: makeConnector(BuiltinConnectors.sqlite, [("path", .string(path))] + options))
    }

    func sink(table: String, _ options: [(String, OptionValue)] = []) throws -> AnyDataSink {
        try factory(table: table, options).make()
    }

    func factory(table: String, _ options: [(String, OptionValue)] = []) throws -> SinkFactory {
        try sinkFactory(of: makeConnector(BuiltinConnectors.sqlite, [("path", .string(path)), ("table", .string(table))] + options,
                                          kind: .sink))
    }

    /// Writes `batches` through a fresh sink session and finalizes it.
    @discardableResult
    func load(_ table: String, _ batches: [RecordBatch], _ options: [(String, OptionValue)] = []) async throws -> RecordBatch {
        let sink = try sink(table: table, options)
        try await sink.start()
        let results = try await sink.write(RecordBatchStream(batches))
        return try await sink.finalize(results)
    }
}

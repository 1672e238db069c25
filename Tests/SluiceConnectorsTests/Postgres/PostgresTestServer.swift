import Foundation
import PostgresNIO
import Testing
import SluiceCore
@testable import SluiceConnectors

/// The PostgreSQL server of the tests, from `SLUICE_TEST_POSTGRES`
/// (`postgres://user:password@host:port/database`, set by Tests/Postgres/with_postgres.sh).
/// Without it the tests are skipped locally, but run (and fail) when `CI=true`.
enum PostgresTestServer {
    static let url = ProcessInfo.processInfo.environment["SLUICE_TEST_POSTGRES"].flatMap { URLComponents(string: $0) }
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let shouldRun = url != nil || inCI

    struct NotConfigured: Error, CustomStringConvertible {
        var description: String { "SLUICE_TEST_POSTGRES is not set: run the tests through Tests/Postgres/with_postgres.sh" }
    }

    static var password: String { url?.password ?? "" }

    /// Connection options for a connector config.
    static func options(password: String? = nil) throws -> [(String, OptionValue)] {
        guard let url else { throw NotConfigured() }
        return [("host", .string(url.host ?? "127.0.0.1")), ("port", .int(url.port ?? 5432)),
                ("database", .string(String(url.path.dropFirst()))), ("user", .string(url.user ?? "")),
                ("password", .string(password ?? url.password ?? "")), ("sslmode", "disable")]
    }

    static let pool: PostgresPool? = {
        guard url != nil, let options = try? options() else { return nil }
        return PostgresPool(try! PostgresSettings(ConnectorOptions(.map(options), path: "test", baseDirectory: ".")))
    }()

    static func execute(_ sql: String) async throws {
        guard let pool else { throw NotConfigured() }
        try await pool.withConnection("test setup") { _ = try await $0.query(PostgresQuery(unsafeSQL: sql), logger: pool.logger) }
    }

    /// The first column of every row, as text.
    static func strings(_ sql: String) async throws -> [String] {
        guard let pool else { throw NotConfigured() }
        return try await pool.withConnection("test query") { connection in
            var out: [String] = []
            for try await (text) in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: pool.logger).decode(String?.self) {
                out.append(text ?? "NULL")
            }
            return out
        }
    }

    /// A table name no other test uses.
    static func tableName(_ base: String) -> String { "\(base)_\(UUID().uuidString.prefix(8).lowercased())" }

    static func source(_ options: [(String, OptionValue)]) throws -> any DataSource {
        try SluiceConnectorsTests.source(of: makeConnector(BuiltinConnectors.postgres, try self.options() + options))
    }

    static func sink(table: String, _ options: [(String, OptionValue)] = []) throws -> AnyDataSink {
        try factory(table: table, options).make()
    }

    static func factory(table: String, _ options: [(String, OptionValue)] = []) throws -> SinkFactory {
        try sinkFactory(of: makeConnector(BuiltinConnectors.postgres, try self.options() + [("table", .string(table))] + options,
                                          kind: .sink))
    }

    @discardableResult
    static func load(_ table: String, _ batches: [RecordBatch], _ options: [(String, OptionValue)] = []) async throws -> RecordBatch {
        let sink = try sink(table: table, options)
        try await sink.start()
        let results = try await sink.write(RecordBatchStream(batches))
        do { return try await sink.finalize(results) } catch {
            try await sink.abort(results) // as the server does when a finalize fails
            throw error
        }
    }

    static func tables(like pattern: String) async throws -> [String] {
        try await strings("SELECT tablename::text FROM pg_tables WHERE tablename LIKE '\(pattern)' ORDER BY 1")
    }

    /// The staging tables a sink's session has left.
    static func stagingTables(of sink: AnyDataSink) async throws -> [String] {
        let session = WriteSessionID.compact((sink.base as! PostgresSink).session)
        return try await tables(like: "\\_sluice\\_stage\\_\(session)\\_%")
    }
}

@Suite struct PostgresTestServerTests {
    @Test func aDatabaseIsConfiguredInCI() {
        if PostgresTestServer.inCI { #expect(PostgresTestServer.url != nil, "CI=true but SLUICE_TEST_POSTGRES is not set") }
    }
}

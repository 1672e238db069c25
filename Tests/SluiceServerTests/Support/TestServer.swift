import Foundation
import Logging
import SluiceServer

/// A real `SluiceApp` on 127.0.0.1 with an ephemeral port, over the embedded demo (made in a
/// temporary folder, its `users` sink writing into `<dir>/sluice-output`) plus the test
/// connectors of `TestServer.extraConfig`, with a test client pointed at it.
///
/// Use `TestServer.run { server in ... }`: the server is shut down and its folder removed
/// however the body ends.
struct TestServer: Sendable {
    let app: SluiceApp
    let directory: TemporaryDirectory
    let client: TestHTTPClient

    var port: Int { app.port }
    var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Where the demo's `users` sink writes.
    var usersOutput: String { "sluice-output" }

    /// Connectors added to the demo's for tests, as a user's config would declare them.
    static let extraConfig = """
        connectors:
          - name: small
            type: range
            description: 100 rows in 3 tasks of 7-row batches
            options: {n: 100, partitions: 3, batch_rows: 7}
          - name: flaky
            type: failing-source
            options: {batches: 3, rows_per_batch: 1000}
          - name: unlisted
            type: failing-source
            options: {fails_listing: true}
          - name: refusing
            type: refusing-sink
          - name: people
            type: ndjson-files
            kind: sink
            description: NDJSON files with a declared input schema
            options:
              output_dir: people-output
              max_rows_per_file: 100
              schema: {id: Int64, name: String}
        """

    /// Starts a server, runs `body`, shuts the server down.
    ///
    /// With `directory`, the server works in that folder and leaves it in place (for restart
    /// tests: run again on the same folder); with `durableState`, write sessions live in a
    /// `SQLiteWriteSessionStore` in `<directory>/state`, closed after shutdown.
    static func run<T>(in directory: TemporaryDirectory? = nil, durableState: Bool = false, extraConfig: String = extraConfig,
                       logHandler: (@Sendable (String) -> any LogHandler)? = nil,
                       configure: (inout SluiceApp.Options) -> Void = { _ in },
                       _ body: (TestServer) async throws -> T) async throws -> T {
        let owned = directory == nil
        let directory = try directory ?? TemporaryDirectory()
        defer { if owned { directory.remove() } }
        let demo = try DemoCatalog.make(folder: directory.file("demo"), outputDirectory: directory.file("sluice-output"))
        let extra = try ConnectorRegistry.testing.catalog(
            for: SluiceConfig.parse(yaml: extraConfig, baseDirectory: directory.path))
        var options = SluiceApp.Options(hosts: ["127.0.0.1"], port: 0)
        options.page = .none
        options.openAPIFile = nil
        configure(&options)
        var logger = logHandler.map { Logger(label: "sluice-test", factory: $0) } ?? Logger(label: "sluice-test")
        logger.logLevel = logHandler == nil ? .critical : .info  // failures are asserted, not logged
        let store: any WriteSessionStore = durableState ? try SQLiteWriteSessionStore(folder: directory.file("state"))
                                                    : InMemoryWriteSessionStore()
        defer { (store as? SQLiteWriteSessionStore)?.close() }
        let app = SluiceApp(catalog: Catalog(demo.entries + extra.entries), options: options, store: store, logger: logger)
        try await app.start()
        let server = TestServer(app: app, directory: directory, client: TestHTTPClient(port: app.port))
        do {
            let result = try await body(server)
            await app.shutdown(gracePeriod: .seconds(2))
            return result
        } catch {
            await app.shutdown(gracePeriod: .seconds(2))
            throw error
        }
    }
}

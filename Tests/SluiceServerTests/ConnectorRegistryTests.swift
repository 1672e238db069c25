import Foundation
import SluiceServer
import Testing
import SluiceCore

/// `ConnectorRegistry.catalog(for:)`: every connector's type and options are checked and
/// every error is reported with its config path and line; custom types register in code.
@Suite struct ConnectorRegistryTests {
    @Test func reportsEveryOptionErrorWithItsPathAndLine() throws {
        let folder = try TemporaryDirectory("sluice-registry")
        defer { folder.remove() }
        let config = try SluiceConfig.parse(yaml: ConfigFixtures.badOptions, baseDirectory: folder.path)
        let error = try #require(throws: ConfigErrors.self) { try ConnectorRegistry.builtin.catalog(for: config) }
        let messages = error.messages
        #expect(messages.count == ConfigFixtures.badOptionsMessages.count, "\(messages)")
        for (message, expected) in zip(messages, ConfigFixtures.badOptionsMessages) {
            #expect(message.hasPrefix(expected), "'\(message)' should start with '\(expected)'")
        }
        #expect(messages[1].contains("local-files") && messages[1].hasSuffix("(line 11)"))
    }

    @Test func sinkOnlyOptionsMakeASQLEntryASink() throws {
        let folder = try TemporaryDirectory("sluice-registry")
        defer { folder.remove() }
        let yaml = "connectors:\n  - name: orders\n    type: sqlite\n    options: {path: shop.sqlite, table: orders, mode: upsert, key: [id]}\n"
        let catalog = try ConnectorRegistry.builtin.catalog(for: try SluiceConfig.parse(yaml: yaml, baseDirectory: folder.path))
        #expect(catalog["orders"]?.kind == .sink)
    }

    @Test func aMissingSQLiteDatabaseIsBlamedOnItsPath() throws {
        let yaml = "connectors:\n  - name: orders\n    type: sqlite\n    options: {path: nowhere.sqlite, table: orders}\n"
        let messages = try ConfigFixtures.errors(yaml).messages
        #expect(messages.count == 1 && messages[0].hasPrefix("connectors[0].options.path: the database 'nowhere.sqlite': no such file"),
                "\(messages)")
    }

    /// `validate-config` and `list` build every connector: building creates no folder.
    @Test func makingAFileSinkCreatesNothing() throws {
        let folder = try TemporaryDirectory("sluice-registry")
        defer { folder.remove() }
        let yaml = "connectors:\n  - name: out\n    type: local-files\n    options: {output_dir: a/b/c}\n"
        _ = try ConnectorRegistry.builtin.catalog(for: try SluiceConfig.parse(yaml: yaml, baseDirectory: folder.path))
        #expect(!FileManager.default.fileExists(atPath: folder.file("a")))
    }

    @Test func customTypesRegisterInCode() throws {
        let yaml = "connectors:\n  - name: flaky\n    type: failing-source\n    options: {batches: 1}\n"
        let config = try SluiceConfig.parse(yaml: yaml, baseDirectory: ".")
        #expect(throws: ConfigErrors.self) { try ConnectorRegistry.builtin.catalog(for: config) }
        let catalog = try ConnectorRegistry.testing.catalog(for: config)
        #expect(catalog["flaky"]?.type == "failing-source")
        #expect(catalog["flaky"]?.kind == .source)
        #expect(catalog["flaky"]?.description == "Fails after some batches (tests)")
        #expect(catalog.source("flaky") != nil && catalog.sink("flaky") == nil)
    }

    @Test func aKindTheTypeCannotBeIsAnError() throws {
        let yaml = "connectors:\n  - name: numbers\n    type: range\n    kind: sink\n    options: {n: 1}\n"
        let config = try SluiceConfig.parse(yaml: yaml, baseDirectory: ".")
        let error = try #require(throws: ConfigErrors.self) { try ConnectorRegistry.builtin.catalog(for: config) }
        #expect(error.messages == ["connectors[0].kind: range cannot be a sink, only a source (line 4)"])
    }
}

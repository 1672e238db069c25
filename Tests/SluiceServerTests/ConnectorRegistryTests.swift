import SluiceServer
import Testing

/// `ConnectorRegistry.catalog(for:)`: every connector's type and options are checked and
/// every error is reported with its config path and line; custom types register in code.
@Suite struct ConnectorRegistryTests {
    @Test func reportsEveryOptionErrorWithItsPathAndLine() throws {
        let folder = try TemporaryDirectory("sluice-registry")
        defer { folder.remove() }
        let config = try SluiceConfig.parse(yaml: ConfigFixtures.badOptions, baseDirectory: folder.path)
        let error = try #require(throws: ConfigErrors.self) { try ConnectorRegistry.builtin.catalog(for: config) }
        let messages = error.messages
        #expect(messages.count == 3, "\(messages)")
        for (message, expected) in zip(messages, ConfigFixtures.badOptionsMessages) {
            #expect(message.hasPrefix(expected), "'\(message)' should start with '\(expected)'")
        }
        #expect(messages[1].contains("known: ") && messages[1].contains("local-files") && messages[1].hasSuffix("(line 11)"))
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
        #expect(error.messages == ["connectors[0].kind: range cannot be a sink (line 4)"])
    }
}

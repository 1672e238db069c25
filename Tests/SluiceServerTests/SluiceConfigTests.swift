import Testing
import SluiceServer
import SluiceCore

/// `SluiceConfig.parse`: the file's shape, every structural error with its path and line.
@Suite struct SluiceConfigTests {
    @Test func parsesTheDesignExample() throws {
        let config = try SluiceConfig.parse(yaml: ConfigFixtures.valid, baseDirectory: "/srv/sluice")
        #expect(config.connectors.map(\.name) == ["numbers", "users"])
        #expect(config.connectors.map(\.type) == ["range", "local-files"])
        #expect(config.connectors.map(\.path) == ["connectors[0]", "connectors[1]"])
        #expect(config.connectors[0].description == "Generated rows")
        #expect(config.connectors[1].description == nil)
        #expect(config.baseDirectory == "/srv/sluice")
        #expect(config.lines["connectors[1].options.max_rows_per_file"] == 11)
    }

    @Test func reportsEveryShapeErrorWithItsPath() throws {
        let messages = try ConfigFixtures.errors(ConfigFixtures.badShape).messages
        #expect(messages.count == ConfigFixtures.badShapeMessages.count, "\(messages)")
        for expected in ConfigFixtures.badShapeMessages {
            #expect(messages.contains { $0.hasPrefix(expected) }, "missing '\(expected)' in \(messages)")
        }
        // Paths without a line of their own fall back to their entry's line.
        #expect(messages.first { $0.hasPrefix("connectors[2].name") }?.hasSuffix("(line 8)") == true, "\(messages)")
    }

    @Test func notYAMLOrNoConnectorListIsOneError() throws {
        let broken = try #require(throws: ConfigErrors.self) {
            try SluiceConfig.parse(yaml: "connectors: [\n  {name: x", baseDirectory: ".")
        }
        #expect(broken.errors.map(\.path) == ["(file)"])
        #expect(broken.messages[0].contains("not valid YAML"))

        let empty = try #require(throws: ConfigErrors.self) {
            try SluiceConfig.parse(yaml: "connectors: {}\n", baseDirectory: ".")
        }
        #expect(empty.messages == ["connectors: is required and must be a list"])
    }

    @Test func kindMustBeSourceOrSink() throws {
        let yaml = "connectors:\n  - name: x\n    type: ndjson-files\n    kind: pipe\n"
        let error = try ConfigFixtures.errors(yaml)
        #expect(error.messages.first == "connectors[0].kind: must be source or sink, not 'pipe' (line 4)")
    }

    @Test func loadResolvesRelativePathsAgainstTheFilesFolder() throws {
        let folder = try TemporaryDirectory("sluice-config")
        defer { folder.remove() }
        let file = try folder.write("sluice.yaml", ConfigFixtures.valid)
        let config = try SluiceConfig.load(file: file)
        #expect(config.baseDirectory == folder.path)
        let catalog = try ConnectorRegistry.builtin.catalog(for: config)
        #expect(catalog.sink("users")?.prototype.name.contains(folder.path + "/sluice-output") == true)

        let missing = try #require(throws: ConfigErrors.self) { try SluiceConfig.load(file: folder.file("nope.yaml")) }
        #expect(missing.messages[0].contains("cannot read the file"))
    }
}

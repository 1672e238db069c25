import Foundation
import Testing

/// The `sluice` executable's `validate-config` and `list` commands, run as a user would.
@Suite struct SluiceCommandTests {
    /// The built `sluice` next to the test bundle (`.build/<triple>/debug/`), else the
    /// package's `.build/debug/sluice`.
    static var executable: String {
        let besideTests = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("sluice").path
        if FileManager.default.isExecutableFile(atPath: besideTests) { return besideTests }
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return packageRoot.appendingPathComponent(".build/debug/sluice").path
    }

    @Test func theExecutableIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.executable), "no sluice at \(Self.executable)")
    }

    @Test func validateConfigPrintsEveryErrorPathAndExits1() async throws {
        let folder = try TemporaryDirectory("sluice-cli")
        defer { folder.remove() }
        let file = try folder.write("bad.yaml", ConfigFixtures.badOptions)
        let outcome = try await ProcessRunner.run(Self.executable, ["validate-config", file])
        #expect(outcome.status == 1)
        let lines = outcome.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == ConfigFixtures.badOptionsMessages.count, "\(outcome.stderr)")
        for expected in ConfigFixtures.badOptionsMessages {
            #expect(lines.contains { $0.hasPrefix("\(file): \(expected)") }, "missing '\(expected)' in \(outcome.stderr)")
        }

        let shape = try folder.write("shape.yaml", ConfigFixtures.badShape)
        let shapeOutcome = try await ProcessRunner.run(Self.executable, ["validate-config", shape])
        #expect(shapeOutcome.status == 1)
        for expected in ConfigFixtures.badShapeMessages {
            #expect(shapeOutcome.stderr.contains("\(shape): \(expected)"), "missing '\(expected)' in \(shapeOutcome.stderr)")
        }
    }

    @Test func validateConfigAcceptsAGoodFile() async throws {
        let folder = try TemporaryDirectory("sluice-cli")
        defer { folder.remove() }
        let file = try folder.write("good.yaml", ConfigFixtures.valid)
        let outcome = try await ProcessRunner.run(Self.executable, ["validate-config", file])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdoutText == "\(file): OK, 2 connector(s)\n")

        let listed = try await ProcessRunner.run(Self.executable, ["list", "--config", file])
        #expect(listed.status == 0, "\(listed.stderr)")
        let rows = listed.stdoutText.split(separator: "\n")
        #expect(rows.count == 2)
        #expect(rows.first?.hasPrefix("numbers  source  range: Generated rows") == true, "\(listed.stdoutText)")
        #expect(rows.last?.hasPrefix("users    sink    local-files:") == true, "\(listed.stdoutText)")
    }
}

import Foundation
import SluiceCore

/// The catalog `sluice serve` uses without `--config`: the seed's Alice text, a million-row
/// `range` source, NDJSON and CSV examples, the seed's `local-files` sink (into
/// `./sluice-output`) and a `discard` sink.
public enum DemoCatalog {
    /// Writes the demo files into `folder` (created if needed) and loads the demo config.
    public static func make(folder: String, outputDirectory: String = "sluice-output",
                            registry: ConnectorRegistry = .builtin) throws -> Catalog {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in [("alice.txt", DemoFiles.alice), ("events.ndjson", DemoFiles.events), ("cities.csv", DemoFiles.cities)] {
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
        let output = outputDirectory.hasPrefix("/")
            ? outputDirectory : FileManager.default.currentDirectoryPath + "/" + outputDirectory
        let config = try SluiceConfig.parse(yaml: DemoFiles.config(outputDirectory: output), baseDirectory: folder)
        return try registry.catalog(for: config)
    }

    /// A per-user folder under the temporary directory for the demo's input files.
    public static var defaultFolder: String {
        NSTemporaryDirectory() + "sluice-demo-\(getuid())"
    }
}

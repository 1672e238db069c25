import Foundation
import SluiceCore
import SluiceServer

// Serves the two connectors of Daft's custom-connector guide
// (https://docs.daft.ai/en/stable/connectors/custom/), ported to Swift: `sample` (five lines
// of Alice, written to a temporary file) and `users` (files of 10 rows in ./output_folder).
// Usage: custom-connectors [port]. The README's custom-connector code is this code.
let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8081
let sample = NSTemporaryDirectory() + "sample_text.txt"
try """
Alice was beginning to get very tired of sitting by her sister on the bank.
So she was considering in her own mind (as well as she could, for the hot day made her feel very sleepy and stupid),
when suddenly a White Rabbit with pink eyes ran close by her.
There was nothing so very remarkable in that;
nor did Alice think it so very much out of the way to hear the Rabbit say to itself, 'Oh dear! Oh dear! I shall be late!'

""".write(toFile: sample, atomically: true, encoding: .utf8)

// A connector type of its own, so that config files can say `type: lines`.
let lines = ConnectorType(name: "lines", summary: "Lines of text files, one task per file", kinds: [.source],
                          options: ["paths"]) { options, _ in
    guard let paths = try options.strings("paths") else { throw OptionError(path: options.path + ".paths", "is required") }
    return .source(TextFileDataSource(filePaths: paths.map(options.resolve)))
}
var registry = ConnectorRegistry.builtin   // a copy: register into it, then build catalogs with it
registry.register(lines)
let config = try SluiceConfig.parse(yaml: """
    connectors:
      - name: sample
        type: lines
        description: Five lines of Alice (TextFileDataSource)
        options: {paths: ["\(sample)"]}
    """, baseDirectory: ".")

let catalog = Catalog(try registry.catalog(for: config).entries + [
    .init(name: "users", type: "custom", description: "Files of at most 10 rows (LocalFileDataSink)",
          connector: .sink(try SinkFactory {
              try LocalFileDataSink(outputDirectory: "./output_folder", filenamePrefix: "users", maxRowsPerFile: 10)
          })),
])
let app = SluiceApp(catalog: catalog, options: .init(port: port))
try await app.start()
print("custom connectors on \(app.url)")
await app.runUntilTerminated()

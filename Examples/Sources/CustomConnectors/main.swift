import Foundation
import SluiceCore
import SluiceServer

// Serves the seed's two connectors: `sample` (the five Alice lines, written to a temporary
// file) and `users` (files of 10 rows in ./output_folder). Usage: custom-connectors [port]
let port = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 8081
let sample = NSTemporaryDirectory() + "sample_text.txt"
try """
Alice was beginning to get very tired of sitting by her sister on the bank.
So she was considering in her own mind (as well as she could, for the hot day made her feel very sleepy and stupid),
when suddenly a White Rabbit with pink eyes ran close by her.
There was nothing so very remarkable in that;
nor did Alice think it so very much out of the way to hear the Rabbit say to itself, 'Oh dear! Oh dear! I shall be late!'

""".write(toFile: sample, atomically: true, encoding: .utf8)

let catalog = Catalog([
    .init(name: "sample", type: "custom", description: "The seed's TextFileDataSource",
          connector: .source(TextFileDataSource(filePaths: [sample]))),
    .init(name: "users", type: "custom", description: "The seed's LocalFileDataSink",
          connector: .sink(try SinkFactory {
              try LocalFileDataSink(outputDirectory: "./output_folder", filenamePrefix: "users", maxRowsPerFile: 10)
          })),
])
let app = SluiceApp(catalog: catalog, options: .init(port: port))
try await app.start()
print("custom connectors on http://127.0.0.1:\(app.port)")
await app.runUntilTerminated()

import SluiceCore

extension BuiltinConnectors {
    /// `text-file` source. Options: `paths` (string or list; globs `*`, `?`, `[...]`;
    /// required), `split_bytes` (positive, default 64 MiB). Schema: `line String` not null.
    public static let textFile = ConnectorType(
        name: "text-file",
        summary: "Text files read line by line, one row per line (column line)",
        kinds: [.source],
        optionNames: ["paths", "split_bytes"]
    ) { options, kind in
        try options.expect(kind, is: .source, type: "text-file")
        let files = try options.fileSet(connector: "text-file")
        let splitBytes = try options.int("split_bytes", min: 1) ?? ByteRangeSplitter.defaultSplitBytes
        try options.finish()
        return .source(TextFileSource(files: files, splitBytes: splitBytes))
    }
}

import SluiceCore

extension BuiltinConnectors {
    /// `text-file` source. Options: `paths` (string or list; globs `*`, `?`, `[...]`;
    /// required), `split_bytes` (positive, default 64 MiB). Schema: `line String` not null.
    public static let textFile = ConnectorType(
        name: "text-file",
        summary: "Text files read line by line, one row per line (column line)",
        kinds: [.source],
        options: [.init("paths", "a file or glob, or a list of them (required)"),
                  .init("split_bytes", "a task per this many bytes of a file, cut at line ends", default: "67108864")]
    ) { options, kind in
        try options.expect(kind, is: .source, type: "text-file")
        let files = try options.fileSet(connector: "text-file")
        let splitBytes = try options.int("split_bytes", min: 1) ?? ByteRangeSplitter.defaultSplitBytes
        try options.finish()
        return .source(TextFileSource(files: files, splitBytes: splitBytes))
    }
}

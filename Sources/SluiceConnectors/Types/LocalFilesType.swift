import SluiceCore

extension BuiltinConnectors {
    /// `local-files` sink (the seed's `LocalFileDataSink`): NDJSON files
    /// `<filename_prefix>_<uuid>.ndjson`. Options: see `FileSinkOptions` (no `schema`: types
    /// are inferred per batch). Summary: `FileSink.summarySchema`.
    public static let localFiles = ConnectorType(
        name: "local-files",
        summary: "Writes rows as NDJSON files of at most max_rows_per_file rows in output_dir",
        kinds: [.sink],
        options: FileSinkOptions.documented
    ) { options, kind in
        try options.expect(kind, is: .sink, type: "local-files")
        let sink = try FileSinkOptions(options, format: .ndjson, connector: "local-files", acceptsSchema: false)
        try options.finish()
        return .sink(try sink.factory())
    }
}

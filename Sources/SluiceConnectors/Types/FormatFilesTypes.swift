import SluiceCore

extension BuiltinConnectors {
    /// `ndjson-files`: a source over `paths` (globs) with an optional `schema` (else
    /// inferred; `infer_times`, default true, makes ISO 8601 text Date or Timestamp, false
    /// keeps it String) and `split_bytes` (default 64 MiB); or a sink with the `local-files` options
    /// plus an optional `schema` (the input schema). Which one: `paths` → source,
    /// `output_dir` → sink, unless the config asks for a kind.
    public static let ndjsonFiles = formatFiles(.ndjson)

    /// `csv-files`: as `ndjson-files` in CSV with a header row, except that a CSV source reads
    /// each file as one task and takes no `split_bytes`.
    public static let csvFiles = formatFiles(.csv)

    private static func formatFiles(_ format: FileFormat) -> ConnectorType {
        let type = format.connectorType
        return ConnectorType(
            name: type,
            summary: "\(format.displayName) files: reads paths (globs) or writes files into output_dir",
            kinds: [.source, .sink],
            options: [.init("paths", "source: a file or glob, or a list of them"),
                      .init("schema", "the columns ({name: Type}); a source infers them without it", default: "inferred"),
                      .init("infer_times", "source: ISO 8601 text becomes Date or Timestamp", default: "true")]
                + (format.splitsByLine ? [.init("split_bytes", "source: a task per this many bytes of a file", default: "67108864")] : [])
                + FileSinkOptions.documented
        ) { options, kind in
            switch try options.sourceOrSink(kind, type: type) {
            case .source:
                let files = try options.fileSet(connector: format.connectorType)
                let schema = try options.schema("schema")
                let inferTimes = try options.bool("infer_times") ?? true
                let splitBytes = format.splitsByLine ? try options.int("split_bytes", min: 1) ?? ByteRangeSplitter.defaultSplitBytes
                                                     : ByteRangeSplitter.defaultSplitBytes
                try options.finish()
                do {
                    return .source(try FormatFileSource(format: format, files: files, schema: schema, splitBytes: splitBytes,
                                                          inferTimes: inferTimes))
                } catch let error as ConnectorError {
                    throw OptionError(path: options.path(of: "paths"),
                                      "cannot infer a schema from \(error.path ?? "the first file")"
                                          + (error.line.map { " line \($0)" } ?? "") + ": \(error.message); declare the schema option")
                }
            case .sink:
                let sink = try FileSinkOptions(options, format: format, connector: type, acceptsSchema: true)
                try options.finish()
                return .sink(try sink.factory())
            }
        }
    }
}

import SluiceCore

/// The options of a file sink (`local-files`, and `ndjson-files`/`csv-files` as sinks):
/// `output_dir` (required, created if missing), `filename_prefix` (default `data`),
/// `max_rows_per_file` (positive, default 1,000,000: files of real data, not of the guide's 10) and, where allowed, `schema` (the sink's input
/// schema).
struct FileSinkOptions: Sendable {
    /// What `sluice types` shows of them.
    static let documented: [ConnectorType.Option] = [
        .init("output_dir", "sink: the folder the files go into (required)"),
        .init("filename_prefix", "sink: the files' names start with it", default: "data"),
        .init("max_rows_per_file", "sink: rows per file", default: "1000000"),
    ]

    let format: FileFormat
    let connector: String
    let outputDirectory: String
    let filenamePrefix: String
    let maxRowsPerFile: Int
    let inputSchema: Schema?

    init(_ options: ConnectorOptions, format: FileFormat, connector: String, acceptsSchema: Bool) throws {
        self.format = format
        self.connector = connector
        outputDirectory = options.resolve(try options.requiredString("output_dir"))
        filenamePrefix = try options.string("filename_prefix") ?? "data"
        guard !filenamePrefix.isEmpty, !filenamePrefix.contains("/") else {
            throw OptionError(path: options.path(of: "filename_prefix"), "must be a non-empty name without '/'")
        }
        maxRowsPerFile = try options.int("max_rows_per_file", min: 1) ?? 1_000_000
        inputSchema = acceptsSchema ? try options.schema("schema") : nil
    }

    func factory() throws -> SinkFactory {
        let options = self
        return try SinkFactory(perSession: { session in
            try FileSink(format: options.format, outputDirectory: options.outputDirectory, filenamePrefix: options.filenamePrefix,
                         maxRowsPerFile: options.maxRowsPerFile, inputSchema: options.inputSchema, connector: options.connector,
                         session: session)
        })
    }
}

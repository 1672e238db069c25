import SluiceCore

extension BuiltinConnectors {
    /// `sqlite`: a source or a sink over a database file.
    ///
    /// Options: `path` (the file; relative to the config's folder; required), and `table` or,
    /// for a source only, `query` (a read-only SELECT). Source: `partitions` (rowid ranges,
    /// positive; default: one per 32 MiB of the table, at most 64), `batch_rows` (positive, default 65536). Sink: `mode` (`append`,
    /// default, or `upsert`) and `key` (the upsert's key columns). Which kind: `query` →
    /// source; otherwise the config's `kind:`; without one, `mode` or `key` → sink, else source.
    public static let sqlite = ConnectorType(
        name: "sqlite",
        summary: "SQLite database file: reads a table or query (split by rowid), or writes a table (append or upsert)",
        kinds: [.source, .sink],
        options: [.init("path", "the database file, from the config's folder (required)"), .init("table", "the table to read or write"),
                  .init("query", "source: a read-only SELECT instead of a table"),
                  .init("partitions", "source: tasks (rowid ranges)", default: "one per 32 MiB, at most 64"),
                  .init("batch_rows", "source: rows per batch", default: "65536"),
                  .init("mode", "sink: append or upsert", default: "append"), .init("key", "sink: the upsert's key columns")]
    ) { options, kind in
        let path = options.resolve(try options.requiredString("path"))
        let (resolvedKind, relation) = try SQLTarget.relation(options, kind: kind, type: "sqlite")
        switch (resolvedKind, relation) {
        case (.source, _):
            let partitions = try options.int("partitions", min: 1)
            let batchRows = try options.int("batch_rows", min: 1) ?? 65_536
            try options.finish()
            if let problem = PathExpander.problem(with: path) {
                throw OptionError(path: options.path(of: "path"), "the database '\(path)': \(problem)")
            }
            do {
                return .source(try SQLiteSource(path: path, relation: relation, partitions: partitions, batchRows: batchRows))
            } catch let error as ConnectorError {
                throw OptionError(path: options.path(of: relation.optionName), error.message)
            }
        case let (.sink, .table(table)):
            let mode = try TableWriteMode(options)
            try options.finish()
            return .sink(try SinkFactory(perSession: { SQLiteSink(path: path, table: table, mode: mode, session: $0) }))
        case (.sink, .query):
            throw OptionError(path: options.path(of: "query"), "a sqlite sink writes to a table; give table, not query")
        }
    }
}

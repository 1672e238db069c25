import SluiceCore

extension BuiltinConnectors {
    /// `postgres`: a source or a sink over a PostgreSQL database, through one connection
    /// pool per connector.
    ///
    /// Options: connection settings (`PostgresSettings`: `host`, `port`, `database`, `user`,
    /// `password` or `password_file`, `sslmode`), and `table` or, for a source only, `query`.
    /// Source: `partitions` (positive; default for a table: one per 32 MiB of it, at most 64), `split_column` (an integer column to split
    /// by; without it a table splits by ctid pages), `batch_rows` (default 65536), `numeric`
    /// (`string`, default, or `float64`). Sink: `mode` (`append` or `upsert`) and `key`. Which
    /// kind: `query` → source; otherwise the config's `kind:`; without one, `mode` or `key` →
    /// sink, else source.
    ///
    /// A source reads its schema from the server when it is made (the server must be up).
    public static let postgres = ConnectorType(
        name: "postgres",
        summary: "PostgreSQL table or query: reads (split by key or ctid ranges) or writes a table via COPY (append or upsert)",
        kinds: [.source, .sink],
        options: [.init("host", "the server", default: "localhost"), .init("port", "its port", default: "5432"),
                  .init("database", "the database (required)"), .init("user", "the role (required)"),
                  .init("password", "the password"), .init("password_file", "a file holding the password"),
                  .init("sslmode", "disable, prefer or require", default: "prefer"), .init("table", "the table to read or write"),
                  .init("query", "source: a SELECT instead of a table"),
                  .init("partitions", "source: tasks", default: "one per 32 MiB, at most 64"),
                  .init("split_column", "source: an integer column to split by", default: "ctid pages"),
                  .init("batch_rows", "source: rows per batch", default: "65536"),
                  .init("numeric", "source: numeric as string or float64", default: "string"),
                  .init("mode", "sink: append or upsert", default: "append"), .init("key", "sink: the upsert's key columns")]
    ) { options, kind in
        let settings = try PostgresSettings(options)
        let (resolvedKind, relation) = try SQLTarget.relation(options, kind: kind, type: "postgres")
        switch (resolvedKind, relation) {
        case (.source, _):
            let partitions = try options.int("partitions", min: 1)
            let splitColumn = try options.string("split_column")
            let batchRows = try options.int("batch_rows", min: 1) ?? 65_536
            let numericAsFloat = try options.choice("numeric", ["string", "float64"]) == "float64"
            try options.finish()
            let pool = PostgresPool(settings)
            do {
                return .source(try PostgresSource.make(pool: pool, relation: relation, partitions: partitions, splitColumn: splitColumn,
                                                       batchRows: batchRows, numericAsFloat: numericAsFloat))
            } catch let error as ConnectorError {
                throw OptionError(path: options.path(of: relation.optionName), error.message)
            }
        case let (.sink, .table(table)):
            let mode = try TableWriteMode(options)
            try options.finish()
            let pool = PostgresPool(settings)
            return .sink(try SinkFactory(perSession: { PostgresSink(pool: pool, table: table, mode: mode, session: $0) }))
        case (.sink, .query):
            throw OptionError(path: options.path(of: "query"), "a postgres sink writes to a table; give table, not query")
        }
    }
}

import SluiceCore

extension BuiltinConnectors {
    /// `range` source. Options: `n` (rows, at least 0, required), `partitions` (positive,
    /// default 1), `batch_rows` (positive, default 4096: a batch is about 300 KB, which bounds what a slow reader holds). Schema: `RangeSource.rangeSchema`.
    public static let range = ConnectorType(
        name: "range",
        summary: "Generated rows id 1...n with name, score, active and tags (benchmarks)",
        kinds: [.source],
        options: [.init("n", "rows: ids 1...n (required)"), .init("partitions", "tasks, each a run of ids", default: "1"),
                  .init("batch_rows", "rows per batch", default: "4096")]
    ) { options, kind in
        try options.expect(kind, is: .source, type: "range")
        guard let n = try options.int("n", min: 0) else { throw OptionError(path: options.path(of: "n"), "is required") }
        let partitions = try options.int("partitions", min: 1) ?? 1
        let batchRows = try options.int("batch_rows", min: 1) ?? 4_096
        try options.finish()
        return .source(RangeSource(rowCount: Int64(n), partitions: partitions, batchRows: batchRows))
    }
}

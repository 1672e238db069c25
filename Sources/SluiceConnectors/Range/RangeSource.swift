import SluiceCore

/// Generated rows, like `daft.range` with benchmark columns: ids `1...n` split evenly into
/// `partitions` tasks. Row `id` is exactly the benchmark row (`Benchmarks/bench_data.py` serves these):
/// - `id Int64`: the 1-based id
/// - `name String`: `User_<id>`
/// - `score Float64`: `Double((id * 7919) % 10000) / 10000`
/// - `active Bool`: `id % 3 != 0`
/// - `tags List[String]`: `1 + id % 3` one-letter tags from `abcdefgh`, starting at
///   index `id % 8` and wrapping
///
/// Honours `columns` (builds only those, plus filter columns) and `limit` (per task, without a
/// filter). Columns are built straight into typed storage, fast enough to feed a streaming
/// benchmark.
public struct RangeSource: DataSource {
    public static let rangeSchema = Schema([
        Field("id", .int64, nullable: false),
        Field("name", .string, nullable: false),
        Field("score", .float64, nullable: false),
        Field("active", .bool, nullable: false),
        Field("tags", .list(.string), nullable: false),
    ])

    public let rowCount: Int64
    public let partitions: Int
    public let batchRows: Int

    public var name: String { "Generated rows (id, name, score, active, tags)" }
    public var schema: Schema { Self.rangeSchema }

    public init(rowCount: Int64, partitions: Int = 1, batchRows: Int = 4_096) {
        precondition(rowCount >= 0 && partitions > 0 && batchRows > 0, "invalid range parameters")
        self.rowCount = rowCount
        self.partitions = partitions
        self.batchRows = batchRows
    }

    /// The ids of partition `index`: an even split of `1...rowCount`, the first
    /// `rowCount % partitions` partitions one id longer.
    public func ids(ofPartition index: Int) -> Range<Int64> {
        let count = Int64(partitions)
        let base = rowCount / count, extra = rowCount % count
        let k = Int64(index)
        let start = 1 + k * base + min(k, extra)
        return start..<(start + base + (k < extra ? 1 : 0))
    }

    public func tasks(_ pushdowns: Pushdowns) async throws -> [any DataSourceTask] {
        let plan = ReadPlan(source: schema, pushdowns: pushdowns)
        return (0..<partitions).map { RangeTask(ids: ids(ofPartition: $0), batchRows: batchRows, plan: plan) }
    }
}

/// One partition of a `RangeSource`.
public struct RangeTask: DataSourceTask {
    public let ids: Range<Int64>
    public let batchRows: Int
    let plan: ReadPlan

    public var schema: Schema { plan.schema }

    public func read() -> RecordBatchStream {
        let task = self
        return .producing { RangeBatchGenerator(task) }
    }
}

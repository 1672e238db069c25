/// How many tasks a database table source plans when the config gives no `partitions`: one
/// per `bytesPerTask` of the table's storage, at most `maxTasks`, so that parallel readers
/// (N curls, Daft, DuckDB) get parallelism by default while a small table stays one task.
enum TableTaskPlan {
    static let bytesPerTask: Int64 = 32 << 20
    static let maxTasks = 64

    static func partitions(tableBytes: Int64) -> Int {
        guard tableBytes > bytesPerTask else { return 1 }
        return Int(min(Int64(maxTasks), (tableBytes + bytesPerTask - 1) / bytesPerTask))
    }
}

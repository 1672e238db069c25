import Testing
import SluiceCore
@testable import SluiceConnectors

/// What a reader gets from `source` for `pushdowns`, as the server serves it: every task
/// read (concurrently), pushdowns re-applied per task, the limit over the merged rows.
/// Rows are sorted so that task order does not matter.
func servedRows(_ source: any DataSource, _ pushdowns: Pushdowns) async throws -> [[Value]] {
    let tasks = try await source.tasks(pushdowns)
    let perTask = try await withThrowingTaskGroup(of: [[Value]].self) { group in
        for task in tasks {
            group.addTask {
                var rows: [[Value]] = []
                let stream = try PushdownApplier.filterAndProject(pushdowns, to: task.read(), sourceSchema: source.schema)
                for try await batch in stream { rows += batch.rows }
                return rows
            }
        }
        var all: [[Value]] = []
        for try await rows in group { all += rows }
        return all
    }
    let sorted = perTask.sorted { "\($0)" < "\($1)" }
    return pushdowns.limit.map { Array(sorted.prefix($0)) } ?? sorted
}

/// Filters used to compare pushed-down reads with plain ones, over columns
/// `id Int64, name String, score Float64, active Bool, day Date` (nullable).
let comparisonFilters: [String] = [
    "id > 50",
    "id >= 10 AND id < 20",
    "name = 'n7' OR score < 0.25",
    "NOT (id <= 90)",
    "name IS NULL",
    "score IS NOT NULL AND active",
    "id IN (1, 2, 3, 500)",
    "id NOT IN (1, 2, 3)",
    "name > 'n5'",
    "day >= '2024-01-05' AND id < 40",
    "active = false OR name = 'n1'",
    "score != 0.5 AND id > 80",
]

/// Rows for those filters: ids 1...n, some nulls in every nullable column.
func comparisonRows(_ n: Int) -> [[Value]] {
    (1...n).map { i -> [Value] in
        let name: Value = i % 11 == 0 ? .null : .string("n\(i)")
        let score: Value = i % 13 == 0 ? .null : .float(Double(i % 8) / 8)
        let active: Value = i % 7 == 0 ? .null : .bool(i % 2 == 0)
        let day: Value = i % 17 == 0 ? .null : .date(19_723 + Int64(i % 10))
        return [.int(Int64(i)), name, score, active, day]
    }
}

let comparisonSchema = Schema([
    Field("id", .int64), Field("name", .string), Field("score", .float64), Field("active", .bool), Field("day", .date),
])

/// A stream that yields `batches`, then fails as a dropped connection would.
func failingStream(after batches: [RecordBatch]) -> RecordBatchStream {
    let box = FailingBox(batches)
    return RecordBatchStream { { try box.next() } }
}

struct UploadInterrupted: Error {}

private final class FailingBox: @unchecked Sendable {
    private var batches: [RecordBatch]
    init(_ batches: [RecordBatch]) { self.batches = batches }
    func next() throws -> RecordBatch? {
        if batches.isEmpty { throw UploadInterrupted() }
        return batches.removeFirst()
    }
}

/// Option values written as literals in tests (`("table", "t")`, `("partitions", 3)`).
extension OptionValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
}

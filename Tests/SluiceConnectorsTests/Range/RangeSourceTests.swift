import Testing
import SluiceCore
@testable import SluiceConnectors

@Suite struct RangeSourceTests {
    /// Row `id` as the `range` benchmark rows define it.
    static func expectedRow(_ id: Int64) -> [Value] {
        let letters = Array("abcdefgh")
        let tags = (0...Int(id % 3)).map { Value.string(String(letters[(Int(id) + $0) % 8])) }
        return [.int(id), .string("User_\(id)"), .float(Double((id * 7919) % 10_000) / 10_000), .bool(id % 3 != 0), .list(tags)]
    }

    @Test func rowsMatchTheBenchmarkGenerator() async throws {
        let rows = try await readRows(RangeSource(rowCount: 1000))
        #expect(rows.count == 1000)
        for id: Int64 in [1, 2, 3, 7, 8, 9, 10, 99, 100, 101, 999, 1000] {
            #expect(rows[Int(id) - 1] == Self.expectedRow(id))
        }
        // Spot values written out from gen_rows.py's formula.
        #expect(rows[0] == [1, "User_1", 0.7919, true, ["b", "c"]])
        #expect(rows[2] == [3, "User_3", 0.3757, false, ["d"]])
        #expect(rows[7] == [8, "User_8", 0.3352, true, ["a", "b", "c"]])
    }

    @Test func largeIdsAndBatches() async throws {
        let source = RangeSource(rowCount: 10_000_000_000, partitions: 100_000, batchRows: 1000)
        let task = try await source.tasks(.none).last!
        let batches = try await task.read().collect()
        #expect(batches.map(\.rowCount) == Array(repeating: 1000, count: 100))
        #expect(batches.last!.rows.last! == Self.expectedRow(10_000_000_000))
    }

    @Test func partitionsCoverEveryIdOnce() async throws {
        for (n, partitions) in [(0, 1), (1, 4), (10, 3), (1000, 7), (5, 5), (1001, 2)] {
            let source = RangeSource(rowCount: Int64(n), partitions: partitions, batchRows: 64)
            let tasks = try await source.tasks(.none)
            #expect(tasks.count == partitions)
            var ids: [Value] = []
            for task in tasks { for try await batch in task.read() { ids += batch.rows.map { $0[0] } } }
            #expect(ids == (0..<n).map { .int(Int64($0 + 1)) }, "n \(n), partitions \(partitions)")
            let sizes = (0..<partitions).map { source.ids(ofPartition: $0).count }
            #expect(sizes.max()! - sizes.min()! <= 1)
        }
    }

    @Test func columnsAreHonouredWithFilterColumns() async throws {
        let source = RangeSource(rowCount: 5)
        #expect(try await readRows(source, Pushdowns(columns: ["name", "id"])) ==
                (1...5).map { [.string("User_\($0)"), .int(Int64($0))] })
        let filter = Expression.compare(.greater, .column("score"), .literal(0.5))
        let tasks = try await source.tasks(Pushdowns(columns: ["tags"], filter: filter))
        #expect(tasks[0].schema.names == ["tags", "score"])
    }

    @Test func limitOnlyWithoutAFilter() async throws {
        let source = RangeSource(rowCount: 100, partitions: 2)
        #expect(try await readRows(source, Pushdowns(limit: 3)).map { $0[0] } == [1, 2, 3, 51, 52, 53])
        let filter = Expression.compare(.greater, .column("id"), .literal(1))
        #expect(try await readRows(source, Pushdowns(filter: filter, limit: 3)).count == 100)
    }

    @Test func optionsAndTheirErrors() async throws {
        let connector = try makeConnector(BuiltinConnectors.range, [("n", .int(10)), ("partitions", .int(3)), ("batch_rows", .int(4))])
        let tasks = try await source(of: connector).tasks(.none)
        #expect(tasks.count == 3)
        #expect(optionErrorText { _ = try makeConnector(BuiltinConnectors.range, []) } == "connectors[0].options.n: is required")
        #expect(optionErrorText { _ = try makeConnector(BuiltinConnectors.range, [("n", .int(-1))]) }
                == "connectors[0].options.n: must be at least 0")
        #expect(optionErrorText { _ = try makeConnector(BuiltinConnectors.range, [("n", .int(1)), ("partitions", .int(0))]) }
                == "connectors[0].options.partitions: must be a positive integer")
        #expect(optionErrorText { _ = try makeConnector(BuiltinConnectors.range, [("n", .int(1))], kind: .sink) }
                == "connectors[0].options: range is a source only, not a sink")
    }
}

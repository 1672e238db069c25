import Testing
@testable import SluiceCore

@Suite struct PushdownApplierTests {
    let schema = Schema([Field("id", .int64, nullable: false), Field("name", .string), Field("score", .float64)])

    /// `count` rows split into batches of `size`: id i, name "u<i>", score i / 2 (null every 5th).
    func batches(_ count: Int, size: Int) throws -> [RecordBatch] {
        try stride(from: 0, to: count, by: size).map { start in
            try RecordBatch(schema: schema, rows: (start..<min(start + size, count)).map { i in
                [.int(Int64(i)), .string("u\(i)"), i % 5 == 0 ? .null : .float(Double(i) / 2)]
            })
        }
    }

    func ids(_ batches: [RecordBatch], column: Int = 0) -> [Int64] {
        batches.flatMap { b in b.rows.map { if case let .int(i) = $0[column] { return i } else { return -1 } } }
    }

    @Test func filterThenProjectThenLimitOverManyBatches() async throws {
        let pushdowns = Pushdowns(columns: ["name", "id"], filter: try ExpressionParser.parse("score >= 5 AND id != 13"), limit: 6)
        let out = try await PushdownApplier.apply(pushdowns, to: RecordBatchStream(try batches(40, size: 4)), sourceSchema: schema).collect()
        #expect(out.allSatisfy { $0.schema.names == ["name", "id"] })
        #expect(ids(out, column: 1) == [11, 12, 14, 16, 17, 18])
        #expect(out.map(\.rowCount).reduce(0, +) == 6)
        #expect(try PushdownApplier.outputSchema(for: pushdowns, sourceSchema: schema)
            == Schema([Field("name", .string), Field("id", .int64, nullable: false)]))
    }

    @Test func limitZeroNeverPulls() async throws {
        let source = CountingSource(try batches(10, size: 5))
        let out = try await PushdownApplier.apply(Pushdowns(limit: 0), to: source.stream, sourceSchema: schema).collect()
        #expect(out.isEmpty)
        #expect(source.pulls == 0)
    }

    @Test func limitReachedMidBatchStopsPulling() async throws {
        let source = CountingSource(try batches(100, size: 10))
        let out = try await PushdownApplier.apply(Pushdowns(limit: 25), to: source.stream, sourceSchema: schema).collect()
        #expect(out.map(\.rowCount) == [10, 10, 5])
        #expect(ids(out) == Array(0..<25))
        #expect(source.pulls == 3)
    }

    @Test func limitCountsAcrossMergedTasks() async throws {
        let pushdowns = Pushdowns(columns: ["id"], filter: try ExpressionParser.parse("id IN (1, 2, 3, 11, 12, 13)"), limit: 4)
        let taskA = try PushdownApplier.filterAndProject(pushdowns, to: RecordBatchStream(try batches(10, size: 3)), sourceSchema: schema)
        let taskB = try PushdownApplier.filterAndProject(
            pushdowns, to: RecordBatchStream(try batches(20, size: 3).dropFirst(3).map { $0 }), sourceSchema: schema)
        let merged = RecordBatchStream(try await taskA.collect() + taskB.collect())
        let out = try await PushdownApplier.limit(merged, to: pushdowns.limit).collect()
        #expect(ids(out) == [1, 2, 3, 11])
    }

    @Test func projectionFollowsTheRequestedOrder() async throws {
        let out = try await PushdownApplier.apply(Pushdowns(columns: ["score", "id"]), to: RecordBatchStream(try batches(3, size: 2)),
                                                  sourceSchema: schema).collect()
        #expect(out.map { $0.rows } == [[[.null, .int(0)], [.float(0.5), .int(1)]], [[.float(1), .int(2)]]])
    }

    @Test func filterColumnsNeedNotBeProjected() async throws {
        // A source that honoured `columns` but kept the filter's column, in its own order.
        let taskSchema = Schema([Field("score", .float64), Field("name", .string)])
        let task = try RecordBatch(schema: taskSchema, rows: [[1.5, "a"], [nil, "b"], [3.0, "c"]])
        let pushdowns = Pushdowns(columns: ["name"], filter: try ExpressionParser.parse("score > 2 OR score IS NULL"))
        let out = try await PushdownApplier.apply(pushdowns, to: RecordBatchStream([task]), sourceSchema: schema).collect()
        #expect(out.map(\.rows) == [[["b"], ["c"]]])
    }

    @Test func aTaskLackingTheFilterColumnFailsClearly() async throws {
        let task = try RecordBatch(schema: Schema([Field("name", .string)]), rows: [["a"]])
        let pushdowns = Pushdowns(columns: ["name"], filter: try ExpressionParser.parse("score > 2"))
        let stream = try PushdownApplier.apply(pushdowns, to: RecordBatchStream([task]), sourceSchema: schema)
        await #expect(throws: SchemaError(
            "the batch lacks column 'score', which the filter needs (batch columns: name)", column: "score")) {
            _ = try await stream.collect()
        }
    }

    @Test func aTaskLackingAProjectedColumnFailsClearly() async throws {
        let task = try RecordBatch(schema: Schema([Field("name", .string)]), rows: [["a"]])
        let stream = try PushdownApplier.apply(Pushdowns(columns: ["id"]), to: RecordBatchStream([task]), sourceSchema: schema)
        await #expect(throws: SchemaError("a task's batch lacks column 'id' (batch columns: name)", column: "id")) {
            _ = try await stream.collect()
        }
    }

    @Test func emptyResultsAreDroppedAndNoPushdownsPassBatchesThrough() async throws {
        let input = try batches(6, size: 3)
        let none = try await PushdownApplier.apply(.none, to: RecordBatchStream(input), sourceSchema: schema).collect()
        #expect(none == input)
        let filtered = try await PushdownApplier.apply(Pushdowns(filter: try ExpressionParser.parse("id >= 4")),
                                                       to: RecordBatchStream(input), sourceSchema: schema).collect()
        #expect(filtered.map(\.rowCount) == [2])
    }

    @Test func validationNamesTheProblem() throws {
        #expect(throws: PushdownError(.columns, "unknown column 'nope' (columns: id, name, score)")) {
            try PushdownApplier.validate(Pushdowns(columns: ["id", "nope"]), against: schema)
        }
        #expect(throws: PushdownError(.columns, "column 'id' is listed twice")) {
            try PushdownApplier.validate(Pushdowns(columns: ["id", "name", "id"]), against: schema)
        }
        #expect(throws: PushdownError(.limit, "must be 0 or more, not -1")) {
            try PushdownApplier.validate(Pushdowns(limit: -1), against: schema)
        }
        #expect(throws: ExpressionError.self) {
            try PushdownApplier.validate(Pushdowns(filter: .compare(.equal, .column("name"), .literal(1))), against: schema)
        }
        try PushdownApplier.validate(Pushdowns(columns: [], filter: try ExpressionParser.parse("id = 1"), limit: 0), against: schema)
    }
}

/// A stream over batches that counts how many it was asked for (iterated once per test).
final class CountingSource: @unchecked Sendable {
    private let batches: [RecordBatch]
    private var index = 0
    private(set) var pulls = 0

    init(_ batches: [RecordBatch]) { self.batches = batches }

    var stream: RecordBatchStream {
        RecordBatchStream { [self] in
            { [self] in
                pulls += 1
                defer { index += 1 }
                return index < batches.count ? batches[index] : nil
            }
        }
    }
}

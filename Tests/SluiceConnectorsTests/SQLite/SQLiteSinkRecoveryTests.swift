import Foundation
import Testing
import SluiceCore
@testable import SluiceConnectors

/// What the `sqlite` sink does for sessions that outlive a process: resume, a finalize run
/// twice, the sweep of orphaned staging, and uploads that do not hold the file's write lock.
@Suite struct SQLiteSinkRecoveryTests {
    static let schema = Schema([Field("id", .int64)])
    static func ids(_ range: ClosedRange<Int>) throws -> RecordBatch {
        try RecordBatch(schema: schema, rows: range.map { [.int(Int64($0))] })
    }

    @Test func resumeDropsTheStagingTheResultsDoNotName() async throws {
        let db = try SQLiteTestDatabase()
        let factory = try db.factory(table: "t")
        let session = WriteSessionID.random()
        let before = try factory.make(session: session)
        let acknowledged = try await before.write(RecordBatchStream([try Self.ids(1...10)]))
        _ = try await before.write(RecordBatchStream([try Self.ids(11...20)]))  // cut off by a crash
        #expect(try db.tables().count == 2)
        let after = try factory.make(session: session)
        try await after.resume(acknowledged)
        #expect(try db.tables().count == 1)
        let more = try await after.write(RecordBatchStream([try Self.ids(21...25)]))
        #expect(try await after.finalize(acknowledged + more).rows == [[15, "t"]])
        #expect(try db.strings("SELECT count(*) FROM t") == ["15"])
        #expect(try db.tables() == ["t"])
    }

    @Test func aFinalizeRunAgainWritesNothingTwice() async throws {
        let db = try SQLiteTestDatabase()
        let factory = try db.factory(table: "t")
        let session = WriteSessionID.random()
        let results = try await factory.make(session: session).write(RecordBatchStream([try Self.ids(1...7)]))
        #expect(try await factory.make(session: session).finalize(results).rows == [[7, "t"]])
        #expect(try await factory.make(session: session).finalize(results).rows == [[7, "t"]])
        #expect(try db.strings("SELECT count(*) FROM t") == ["7"])
        #expect(try db.strings("SELECT rows_written FROM _sluice_finalized WHERE session = '\(session)'") == ["7"])
    }

    @Test func removeStagingKeepsOnlyTheListedSessions() async throws {
        let db = try SQLiteTestDatabase()
        let factory = try db.factory(table: "t")
        let (kept, orphan) = (WriteSessionID.random(), WriteSessionID.random())
        _ = try await factory.make(session: kept).write(RecordBatchStream([try Self.ids(1...3)]))
        _ = try await factory.make(session: orphan).write(RecordBatchStream([try Self.ids(4...6)]))
        try await factory.prototype.removeStaging(keeping: [kept])
        let left = try db.tables()
        #expect(left.count == 1 && left[0].hasPrefix("_sluice_stage_" + WriteSessionID.compact(kept) + "_"))
    }

    @Test func anUploadStreamsInWhileAnotherConnectionHoldsTheWriteLock() async throws {
        let db = try SQLiteTestDatabase()
        try await db.load("t", [try Self.ids(1...1)])
        let sink = try db.sink(table: "t")
        // Another writer holds the file's write lock while this upload's body arrives.
        let holder = try SQLiteDatabase(path: db.path, readOnly: false)
        try holder.execute("BEGIN IMMEDIATE")
        let gate = UploadGate()
        let upload = Task { try await sink.write(RecordBatchStream { { await gate.next() } }) }
        await gate.deliver(try Self.ids(2...3))
        await gate.deliver(try Self.ids(4...5))
        // Hang guard, not a timing: the sink asks for a third batch once it has staged two.
        let deadline = Date().addingTimeInterval(30)
        while await !gate.hasStaged(2) {
            try #require(Date() < deadline, "the upload did not take its batches while another writer held the lock")
            try await Task.sleep(nanoseconds: 5_000_000)
        }
        try holder.execute("COMMIT")
        await gate.deliver(nil)
        let results = try await upload.value
        #expect(results.map(\.rowsWritten) == [4])
    }
}

/// Hands batches to a sink as the test delivers them (nil ends the upload).
private actor UploadGate {
    private var queued: [RecordBatch?] = []
    private var waiter: CheckedContinuation<RecordBatch?, Never>?
    /// Batches handed to the sink.
    private(set) var taken = 0
    /// Whether the sink took `count` batches and waits for the next (so it staged them all).
    func hasStaged(_ count: Int) -> Bool { taken == count && waiter != nil }

    func next() async -> RecordBatch? {
        if !queued.isEmpty { return counted(queued.removeFirst()) }
        return await withCheckedContinuation { waiter = $0 }
    }

    func deliver(_ batch: RecordBatch?) {
        if let waiter {
            self.waiter = nil
            waiter.resume(returning: counted(batch))
        } else {
            queued.append(batch)
        }
    }

    private func counted(_ batch: RecordBatch?) -> RecordBatch? {
        if batch != nil { taken += 1 }
        return batch
    }
}

import Foundation
import SluiceCore
import SluiceServer
import Testing

/// The embedded durable store on real files: what it keeps across reopening, idempotency
/// claims, and the clear errors for a folder or a database it cannot use.
@Suite struct SQLiteWriteSessionStoreTests {
    static func answer(_ scope: IdempotencyScope, _ key: String, status: Int = 200) -> IdempotencyRecord {
        IdempotencyRecord(scope: scope, key: key, digest: "d-\(key)", status: status, contentType: "application/json",
                          body: Array("{\"key\":\"\(key)\"}\n".utf8), session: nil)
    }

    @Test func recordsBatchesAndAnswersSurviveReopening() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let id = WriteSessionID.random()
        do {
            let store = try SQLiteWriteSessionStore(folder: dir.path)
            defer { store.close() }
            try await store.save(WriteSessionRecord(id: id, sink: "users", sinkFingerprint: "f1"))
            let result = ErasedWriteResult(resultJSON: #"{"file":"a"}"#, rowsWritten: 10, bytesWritten: 100)
            let batch = WriteBatchRecord(sequence: 1, idempotencyKey: "k1", results: [result], at: Date())
            try await store.append(batch, to: id, completing: Self.answer(.batches(session: id), "k1"))
            #expect(try await store.claim(.batches(session: id), key: "k2", at: Date()) == .claimed)
        }
        let store = try SQLiteWriteSessionStore(folder: dir.path)
        defer { store.close() }
        let record = try #require(try await store.load(id))
        #expect(record.sink == "users" && record.sinkFingerprint == "f1" && record.state == .open)
        #expect(record.batches.map(\.idempotencyKey) == ["k1"] && record.rowsWritten == 10)
        guard case let .completed(answer) = try await store.claim(.batches(session: id), key: "k1", at: Date()) else {
            Issue.record("the answer of k1 is gone")
            return
        }
        #expect(answer.digest == "d-k1" && answer.body == Self.answer(.batches(session: id), "k1").body && answer.status == 200)
        // A claim dies with the process that held it; while held, it answers in-flight.
        #expect(try await store.claim(.batches(session: id), key: "k2", at: Date()) == .claimed)
        #expect(try await store.claim(.batches(session: id), key: "k2", at: Date()) == .inFlight)
        #expect(try await store.lookup(.batches(session: id), key: "k2") == .inFlight)
        try await store.releaseAllClaims()
        #expect(try await store.lookup(.batches(session: id), key: "k2") == nil)
        try await store.delete(id)
        #expect(try await store.load(id) == nil)
        #expect(try await store.claim(.batches(session: id), key: "k1", at: Date()) == .claimed, "answers go with their session")
    }

    @Test func concurrentCallsAllCommit() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteWriteSessionStore(folder: dir.path)
        defer { store.close() }
        let id = WriteSessionID.random()
        try await store.save(WriteSessionRecord(id: id, sink: "s"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 1...64 {
                group.addTask {
                    let batch = WriteBatchRecord(sequence: n, idempotencyKey: "k\(n)", results: [], at: Date())
                    try await store.append(batch, to: id, completing: Self.answer(.batches(session: id), "k\(n)"))
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.load(id)?.batches.map(\.sequence) == Array(1...64))
        // One failing call in a group commit does not undo the others.
        let bad = Task { try await store.append(WriteBatchRecord(sequence: 1, idempotencyKey: nil, results: [], at: Date()), to: id,
                                                completing: nil) }
        let good = Task { try await store.append(WriteBatchRecord(sequence: 65, idempotencyKey: nil, results: [], at: Date()), to: id,
                                                 completing: nil) }
        await #expect(throws: (any Error).self) { try await bad.value }
        try await good.value
        #expect(try await store.load(id)?.batches.count == 65)
    }

    @Test func aFolderInUseIsRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try SQLiteWriteSessionStore(folder: dir.path)
        #expect { _ = try SQLiteWriteSessionStore(folder: dir.path) } throws: { "\($0)".contains("in use by another running sluice") }
        first.close()
        try SQLiteWriteSessionStore(folder: dir.path).close()
    }

    @Test func aFolderThatCannotBeCreatedIsAClearErrorAtStart() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let blocker = try dir.write("not-a-folder", "x")
        let outcome = try await ProcessRunner.run(SluiceCommandTests.executable,
                                                  ["serve", "--port", "0", "--state", blocker + "/state"], timeoutSeconds: 30)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains(blocker + "/state") && outcome.stderr.contains("cannot create the state folder"), "\(outcome.stderr)")
    }

    @Test func aCorruptStateDatabaseIsAClearErrorNamingTheFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("state"), withIntermediateDirectories: true)
        let file = try dir.write("state/sessions.sqlite", String(repeating: "not a database ", count: 400))
        let outcome = try await ProcessRunner.run(SluiceCommandTests.executable,
                                                  ["serve", "--port", "0", "--state", dir.file("state")], timeoutSeconds: 30)
        #expect(outcome.status == 1)
        #expect(outcome.stderr.contains(file) && outcome.stderr.contains("not a database"), "\(outcome.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8).hasPrefix("not a database"), "left as it was")
    }
}

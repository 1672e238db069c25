#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import SluiceLocks
import SluiceConnectors
import SluiceCore

/// The embedded durable session store: one SQLite database in WAL mode with
/// `synchronous=FULL` (every commit is fsynced before the call returns) in a state folder,
/// `<folder>/sessions.sqlite`, through the project's one SQLite layer (`SQLiteDatabase`).
///
/// Group commit: calls queue up and run on one serial queue; each wake-up runs every call
/// waiting then in one transaction (each in a savepoint of its own, so one call's failure
/// does not undo another's) and answers them after the commit. Concurrent uploads thus
/// share fsyncs instead of waiting for one each. The database is only ever touched on that
/// queue, never on the concurrency pool's threads.
///
/// The folder is locked (`flock` on `<folder>/lock`) while the store is open: a second
/// server on the same folder refuses to start instead of resuming the same sessions.
public final class SQLiteWriteSessionStore: WriteSessionStore, @unchecked Sendable {
    // `@unchecked Sendable` guard: `database` is used only on `queue` (asserted in `drain`),
    // `reader` only on `readQueue` (asserted in `read`);
    // the rest of the mutable state is in `guarded`; everything else is immutable.
    private let queue = DispatchQueue(label: "sluice.session-store")
    private let database: SQLiteDatabase
    /// A second connection for reads (WAL lets it read while the writer commits), on its own
    /// queue, so a lookup never waits behind a group commit's fsync.
    private let readQueue = DispatchQueue(label: "sluice.session-store.read")
    private let reader: SQLiteDatabase
    private struct Guarded {
        /// The folder lock's descriptor; -1 once closed.
        var lockFile: Int32
        var waiting: [Job] = []
        var draining = false
        /// Idempotency keys claimed by requests still running (`scope \0 key`).
        var claims = Set<String>()
    }
    private let guarded: Locked<Guarded>
    /// The database file.
    public let path: String

    static let schemaVersion = 1

    /// Opens (creating when missing) the store in `folder`. Throws `StateStoreError` saying
    /// what is wrong and with which file: a folder that cannot be created or written, a file
    /// that is not a database or is damaged, one from a newer version, a folder in use.
    public init(folder: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw StateStoreError(path: folder, "cannot create the state folder: \(error.localizedDescription)")
        }
        let lockPath = folder + "/lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw StateStoreError(path: lockPath, "cannot write in the state folder: \(String(cString: strerror(errno)))")
        }
        // A process that just exited (a restart), or a child forked by this one and not yet
        // exec'd, may hold the lock for a moment: wait up to 2 s before refusing.
        var locked = flock(descriptor, LOCK_EX | LOCK_NB) == 0
        for _ in 0..<40 where !locked {
            usleep(50_000)
            locked = flock(descriptor, LOCK_EX | LOCK_NB) == 0
        }
        guard locked else {
            _ = closeDescriptor(descriptor)
            throw StateStoreError(path: folder, "the state folder is in use by another running sluice")
        }
        guarded = Locked(Guarded(lockFile: descriptor))
        path = folder + "/sessions.sqlite"
        do {
            database = try SQLiteDatabase(path: path, readOnly: false)
            try Self.prepare(database)
            reader = try SQLiteDatabase(path: path, readOnly: true)
            // Session records are small: a 512 KiB page cache per connection is plenty.
            try reader.execute("PRAGMA cache_size = -512")
        } catch let error as StateStoreError {
            _ = closeDescriptor(descriptor)
            throw error
        } catch let error as ConnectorError {
            _ = closeDescriptor(descriptor)
            throw StateStoreError(path: path, "the state database cannot be used: \(error.message). It was left as it is: "
                                  + "move it away to start with an empty state (its open sessions would be lost)")
        }
    }

    deinit { close() }

    /// Releases the state folder for another store (the database connection closes when the
    /// last reference goes). Calls after this still work but no longer hold the folder.
    public func close() {
        guarded.withLock { state in
            if state.lockFile >= 0 { _ = closeDescriptor(state.lockFile) }
            state.lockFile = -1
        }
    }

    private static func prepare(_ database: SQLiteDatabase) throws {
        try database.execute("PRAGMA journal_mode = WAL")
        try database.execute("PRAGMA synchronous = FULL")
        try database.execute("PRAGMA cache_size = -512")
        let check = try database.prepare("PRAGMA quick_check")
        guard try check.step(), check.text(0) == "ok" else {
            throw StateStoreError(path: database.path, "the state database is damaged (quick_check: \(check.text(0))). It was left "
                                  + "as it is: move it away to start with an empty state (its open sessions would be lost)")
        }
        let version = try database.prepare("PRAGMA user_version")
        _ = try version.step()
        let found = Int(version.int(0))
        guard found <= schemaVersion else {
            throw StateStoreError(path: database.path, "the state database has format \(found), written by a newer sluice "
                                  + "(this one reads format \(schemaVersion))")
        }
        try database.transaction {
            try database.execute("""
                CREATE TABLE IF NOT EXISTS sessions (id TEXT PRIMARY KEY, sink TEXT NOT NULL, state TEXT NOT NULL,
                  updated_at REAL NOT NULL, header TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS batches (session TEXT NOT NULL, sequence INTEGER NOT NULL, idempotency_key TEXT,
                  at REAL NOT NULL, results TEXT NOT NULL, PRIMARY KEY (session, sequence));
                CREATE TABLE IF NOT EXISTS answers (scope TEXT NOT NULL, key TEXT NOT NULL, digest TEXT NOT NULL,
                  status INTEGER NOT NULL, content_type TEXT NOT NULL, location TEXT, body BLOB NOT NULL, session TEXT,
                  created_at REAL NOT NULL, PRIMARY KEY (scope, key));
                PRAGMA user_version = \(schemaVersion);
                """)
        }
    }

    // MARK: WriteSessionStore

    public func save(_ record: WriteSessionRecord, completing answer: IdempotencyRecord?) async throws {
        var header = record
        header.batches = []
        let text = try Self.json(header)
        try await perform { db in
            let s = try db.cachedStatement("INSERT INTO sessions VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (id) DO UPDATE SET "
                                   + "state = ?3, updated_at = ?4, header = ?5")
            try s.bind(.string(record.id), at: 1)
            try s.bind(.string(record.sink), at: 2)
            try s.bind(.string(record.state.rawValue), at: 3)
            try s.bind(.float(record.updatedAt.timeIntervalSince1970), at: 4)
            try s.bind(.string(text), at: 5)
            _ = try s.step()
            if let answer { try Self.store(answer, db) }
        }
        if let answer { unclaim(answer.scope, answer.key) }
    }

    public func append(_ batch: WriteBatchRecord, to session: String, completing answer: IdempotencyRecord?) async throws {
        let results = try Self.json(batch.results)
        try await perform { db in
            // The header's JSON keeps its own updated_at; the column is the truth (`records`).
            let update = try db.cachedStatement("UPDATE sessions SET updated_at = ?2 WHERE id = ?1")
            try update.bind(.string(session), at: 1)
            try update.bind(.float(batch.at.timeIntervalSince1970), at: 2)
            _ = try update.step()
            guard db.changes == 1 else { throw StateStoreError(path: db.path, "no session '\(session)' to add a batch to") }
            let insert = try db.cachedStatement("INSERT INTO batches VALUES (?, ?, ?, ?, ?)")
            try insert.bind(.string(session), at: 1)
            try insert.bind(.int(Int64(batch.sequence)), at: 2)
            try insert.bind(batch.idempotencyKey.map(Value.string) ?? .null, at: 3)
            try insert.bind(.float(batch.at.timeIntervalSince1970), at: 4)
            try insert.bind(.string(results), at: 5)
            _ = try insert.step()
            if let answer { try Self.store(answer, db) }
        }
        if let answer { unclaim(answer.scope, answer.key) }
    }

    public func load(_ id: String) async throws -> WriteSessionRecord? {
        try await read { db in try Self.records(db, id: id).first }
    }

    public func delete(_ id: String) async throws {
        let scope = IdempotencyScope.batches(session: id).text
        try await perform { db in
            for (sql, key) in [("DELETE FROM sessions WHERE id = ?", id), ("DELETE FROM batches WHERE session = ?", id),
                               ("DELETE FROM answers WHERE scope = ?", scope)] {
                let s = try db.cachedStatement(sql)
                try s.bind(.string(key), at: 1)
                _ = try s.step()
            }
        }
    }

    public func all() async throws -> [WriteSessionRecord] {
        try await read { db in try Self.records(db, id: nil) }
    }

    public func lookup(_ scope: IdempotencyScope, key: String) async throws -> IdempotencyClaim? {
        if isClaimed(scope, key) { return .inFlight }
        return try await read { db in try Self.answer(scope, key, db) }.map { .completed($0) }
    }

    public func claim(_ scope: IdempotencyScope, key: String, at: Date) async throws -> IdempotencyClaim {
        guard takeClaim(scope, key) else { return .inFlight }
        do {
            guard let answer = try await read({ db in try Self.answer(scope, key, db) }) else { return .claimed }
            unclaim(scope, key)
            return .completed(answer)
        } catch {
            unclaim(scope, key)
            throw error
        }
    }

    public func complete(_ answer: IdempotencyRecord) async throws {
        try await perform { db in try Self.store(answer, db) }
        unclaim(answer.scope, answer.key)
    }

    public func release(_ scope: IdempotencyScope, key: String) async throws {
        unclaim(scope, key)
    }

    public func releaseAllClaims() async throws {
        guarded.withLock { $0.claims.removeAll() }
    }

    // MARK: Claims (in memory: this store belongs to one process, which the folder lock
    // guarantees, and a claim dies with the request, or with the process, that holds it)

    private static func claimKey(_ scope: IdempotencyScope, _ key: String) -> String { scope.text + "\u{0}" + key }

    private func isClaimed(_ scope: IdempotencyScope, _ key: String) -> Bool {
        guarded.withLock { $0.claims.contains(Self.claimKey(scope, key)) }
    }

    /// Claims the key in memory; false when a running request holds it.
    private func takeClaim(_ scope: IdempotencyScope, _ key: String) -> Bool {
        guarded.withLock { $0.claims.insert(Self.claimKey(scope, key)).inserted }
    }

    private func unclaim(_ scope: IdempotencyScope, _ key: String) {
        _ = guarded.withLock { $0.claims.remove(Self.claimKey(scope, key)) }
    }

    private static func answer(_ scope: IdempotencyScope, _ key: String, _ db: SQLiteDatabase) throws -> IdempotencyRecord? {
        let s = try db.cachedStatement("SELECT digest, status, content_type, location, body, session, created_at FROM answers "
                                       + "WHERE scope = ? AND key = ?")
        try s.bind(.string(scope.text), at: 1)
        try s.bind(.string(key), at: 2)
        guard try s.step() else { return nil }
        return IdempotencyRecord(scope: scope, key: key, digest: s.text(0), status: Int(s.int(1)), contentType: s.text(2),
                                 location: s.isNull(3) ? nil : s.text(3), body: Array(s.bytes(4)),
                                 session: s.isNull(5) ? nil : s.text(5), createdAt: Date(timeIntervalSince1970: s.double(6)))
    }

    public func removeAnswers(before date: Date) async throws {
        try await perform { db in
            let s = try db.cachedStatement("DELETE FROM answers WHERE created_at < ? AND substr(scope, 1, 8) != 'session:'")
            try s.bind(.float(date.timeIntervalSince1970), at: 1)
            _ = try s.step()
        }
    }

    // MARK: Rows

    private static func store(_ answer: IdempotencyRecord, _ db: SQLiteDatabase) throws {
        let s = try db.cachedStatement("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        try s.bind(.string(answer.scope.text), at: 1)
        try s.bind(.string(answer.key), at: 2)
        try s.bind(.string(answer.digest), at: 3)
        try s.bind(.int(Int64(answer.status)), at: 4)
        try s.bind(.string(answer.contentType), at: 5)
        try s.bind(answer.location.map(Value.string) ?? .null, at: 6)
        try s.bind(.binary(answer.body), at: 7)
        try s.bind(answer.session.map(Value.string) ?? .null, at: 8)
        try s.bind(.float(answer.createdAt.timeIntervalSince1970), at: 9)
        _ = try s.step()
    }

    /// One session (`id`) or all of them, each with its batches in order.
    private static func records(_ db: SQLiteDatabase, id: String?) throws -> [WriteSessionRecord] {
        let filter = id == nil ? "" : " WHERE id = ?1"
        let headers = try db.cachedStatement("SELECT header, updated_at FROM sessions" + filter)
        let batches = try db.cachedStatement("SELECT session, sequence, idempotency_key, at, results FROM batches"
                                     + (id == nil ? "" : " WHERE session = ?1") + " ORDER BY session, sequence")
        if let id {
            try headers.bind(.string(id), at: 1)
            try batches.bind(.string(id), at: 1)
        }
        var records: [String: WriteSessionRecord] = [:]
        var order: [String] = []
        while try headers.step() {
            var record = try decode(WriteSessionRecord.self, headers.text(0))
            record.updatedAt = Date(timeIntervalSince1970: headers.double(1))
            records[record.id] = record
            order.append(record.id)
        }
        while try batches.step() {
            let session = batches.text(0)
            let batch = WriteBatchRecord(sequence: Int(batches.int(1)), idempotencyKey: batches.isNull(2) ? nil : batches.text(2),
                                         results: try decode([ErasedWriteResult].self, batches.text(4)),
                                         at: Date(timeIntervalSince1970: batches.double(3)))
            records[session]?.batches.append(batch)
        }
        return order.compactMap { records[$0] }
    }

    private static func json<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    private static func decode<T: Decodable>(_: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    // MARK: Group commit

    private struct Job: Sendable {
        /// Runs inside the shared transaction; false when it failed (its savepoint is undone).
        let run: @Sendable (SQLiteDatabase) -> Bool
        /// Called after the commit, with the commit's error if it failed.
        let finish: @Sendable ((any Error)?) -> Void
    }

    /// Holds one job's outcome from `run` to `finish` (both on the store's queue).
    private final class Outcome<T>: @unchecked Sendable {
        // Guard: written in `run` and read in `finish`, both on the store's serial queue.
        var result: Result<T, any Error>?
    }

    private func perform<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let outcome = Outcome<T>()
            let job = Job(run: { db in
                outcome.result = Result { try body(db) }
                if case .success = outcome.result! { return true }
                return false
            }, finish: { commitError in
                if let commitError { continuation.resume(throwing: commitError) } else { continuation.resume(with: outcome.result!) }
            })
            let start = guarded.withLock { state in
                state.waiting.append(job)
                defer { state.draining = true }
                return !state.draining
            }
            if start { queue.async { self.drain() } }
        }
    }

    /// Runs `body` on the reader connection inside one read transaction (a consistent view).
    private func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteDatabase) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            readQueue.async { continuation.resume(with: Result { try self.readNow(body) }) }
        }
    }

    private func readNow<T>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        dispatchPrecondition(condition: .onQueue(readQueue))
        try reader.execute("BEGIN")
        defer {
            reader.resetCachedStatements()
            try? reader.execute("COMMIT")
        }
        return try body(reader)
    }

    private func drain() {
        dispatchPrecondition(condition: .onQueue(queue))
        while true {
            let jobs = guarded.withLock { state in
                let jobs = state.waiting
                state.waiting = []
                if jobs.isEmpty { state.draining = false }
                return jobs
            }
            guard !jobs.isEmpty else { return }
            var commitError: (any Error)?
            do {
                try database.execute("BEGIN IMMEDIATE")
                for job in jobs {
                    try database.execute("SAVEPOINT job")
                    let succeeded = job.run(database)
                    database.resetCachedStatements()
                    if !succeeded { try database.execute("ROLLBACK TO job") }
                    try database.execute("RELEASE job")
                }
                try database.execute("COMMIT")
            } catch {
                commitError = StateStoreError(path: path, "cannot write the state database: \(error)")
                database.resetCachedStatements()
                try? database.execute("ROLLBACK")
            }
            for job in jobs { job.finish(commitError) }
        }
    }
}

/// The state folder or its database cannot be used; says which file and why.
public struct StateStoreError: Error, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// POSIX `close`, named apart from `SQLiteWriteSessionStore.close()`.
private func closeDescriptor(_ descriptor: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.close(descriptor)
    #else
    return Darwin.close(descriptor)
    #endif
}

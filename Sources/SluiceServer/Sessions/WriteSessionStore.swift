/// Where write-session records live. The server keeps live sink instances itself; the store
/// holds what must survive: state, counts, results and the summary. This in-memory store is
/// the default; a durable one implements the same protocol.
public protocol WriteSessionStore: Sendable {
    func save(_ record: WriteSessionRecord) async throws
    func load(_ id: String) async throws -> WriteSessionRecord?
    func delete(_ id: String) async throws
    func all() async throws -> [WriteSessionRecord]
}

/// Records in memory, lost on restart.
public actor InMemoryWriteSessionStore: WriteSessionStore {
    private var records: [String: WriteSessionRecord] = [:]

    public init() {}

    public func save(_ record: WriteSessionRecord) { records[record.id] = record }
    public func load(_ id: String) -> WriteSessionRecord? { records[id] }
    public func delete(_ id: String) { records[id] = nil }
    public func all() -> [WriteSessionRecord] { Array(records.values) }
}

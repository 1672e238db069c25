import Foundation
import Logging
import PostgresNIO
import SluiceCore
import SluiceLocks

/// The connection pool of one configured postgres connector (a `PostgresClient`), shared
/// by its source tasks or by every write session of its sink. The client runs in a task of
/// its own from the first use until the pool is released, and connections open on first
/// use: making a connector (`validate-config`, `list`) starts nothing and touches no server.
final class PostgresPool: Sendable {
    let settings: PostgresSettings
    let client: PostgresClient
    let logger = Logger(label: "sluice.postgres")
    /// The client's task, started on first use.
    private let runner = Locked<Task<Void, Never>?>(nil)

    init(_ settings: PostgresSettings) {
        self.settings = settings
        client = PostgresClient(configuration: settings.clientConfiguration)
    }

    deinit { runner.withLock { $0?.cancel() } }

    /// Runs `body` on a pooled connection, turning PostgreSQL's errors into errors that carry
    /// the server's message (never the connection secrets): `SchemaError` when the data broke
    /// a rule (SQLSTATE classes 22, data exception, and 23, integrity constraint violation:
    /// the client's mistake), `ConnectorError` otherwise.
    func withConnection<T>(_ what: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            runner.withLock { [client] task in if task == nil { task = Task { await client.run() } } }
            try await verify()
            return try await client.withConnection(body)
        } catch let error as PSQLError {
            throw failure(what, error)
        }
    }

    /// Until one connection has succeeded, opens a single connection first: the pool retries
    /// failed connections for a minute before it gives up, a single attempt fails at once
    /// with the server's reason (a wrong password, an unknown database).
    private func verify() async throws {
        guard !verified.withLock({ $0 }) else { return }
        let connection = try await PostgresConnection.connect(configuration: try settings.connectionConfiguration(), id: 0, logger: logger)
        try? await connection.close()
        verified.withLock { $0 = true }
    }

    private let verified = Locked(false)

    func failure(_ what: String, _ error: PSQLError) -> any Error {
        var text = "\(what): "
        if let info = error.serverInfo {
            text += info[.message] ?? "server error"
            if let detail = info[.detail] { text += " (\(detail))" }
            if let context = info[.locationContext] { text += "; \(context)" }
        } else {
            text += "\(error.code) talking to \(settings.host):\(settings.port)"
        }
        if let state = error.serverInfo?[.sqlState], state.hasPrefix("22") || state.hasPrefix("23") {
            return SchemaError(text, column: error.serverInfo?[.columnName])
        }
        return ConnectorError(connector: "postgres", text)
    }
}

extension PostgresQuery {
    /// A query with `parameters` bound in order (`$1`, `$2`, ...). Dates and timestamps go
    /// as ISO text for the `::date` / `::timestamp[tz]` casts the SQL puts after them.
    init(sql: String, parameters: [Value]) {
        var binds = PostgresBindings(capacity: parameters.count)
        for value in parameters {
            switch value {
            case .null, .list, .structure: binds.appendNull()
            case let .bool(b): binds.append(b)
            case let .int(i): binds.append(i)
            case let .uint(u): binds.append(Int64(bitPattern: u))
            case let .float(f): binds.append(f)
            case let .string(s): binds.append(s)
            case let .binary(b): binds.append(ByteBuffer(bytes: b))
            case let .date(days):
                var text: [UInt8] = []
                CellText.appendDate(days, to: &text)
                binds.append(String(decoding: text, as: UTF8.self))
            case let .timestamp(micros):
                var text: [UInt8] = []
                CellText.appendTimestamp(micros, unit: .microseconds, utc: true, to: &text)
                binds.append(String(decoding: text, as: UTF8.self))
            }
        }
        self.init(unsafeSQL: sql, binds: binds)
    }
}

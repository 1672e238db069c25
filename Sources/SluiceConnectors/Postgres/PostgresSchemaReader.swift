import Logging
import NIOCore
import PostgresNIO
import SluiceCore

/// Reads a relation's columns (name, type, NOT NULL) from PostgreSQL's catalog when a
/// source is made. `ConnectorType.make` is synchronous, so this opens one connection and
/// waits on NIO futures, whose work runs on NIO's event loop threads: blocking the caller
/// never starves Swift concurrency's threads (waiting on an async task from a thread of
/// that pool could deadlock it). A query is described through a temporary view of it,
/// which PostgreSQL only accepts for a SELECT.
enum PostgresSchemaReader {
    struct Column {
        var name: String
        var type: PostgresDataType
        var notNull: Bool
    }

    static func columns(of relation: SQLRelation, settings: PostgresSettings, logger: Logger) throws -> [Column] {
        let loop = PostgresConnection.defaultEventLoopGroup.any()
        let connection = try PostgresConnection.connect(on: loop, configuration: try settings.connectionConfiguration(),
                                                        id: 0, logger: logger).wait()
        defer { try? connection.close().wait() }
        let target: String
        switch relation {
        case let .table(table): target = SQLDialect.quoteQualified(table)
        case let .query(sql):
            _ = try connection.query("CREATE TEMP VIEW sluice_describe AS \(SQLRelation.trimmingSemicolons(sql))").wait()
            target = "pg_temp.sluice_describe"
        }
        let rows = try connection.query(
            "SELECT attname::text, atttypid::int8, attnotnull FROM pg_attribute WHERE attrelid = $1::text::regclass "
                + "AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            [PostgresData(string: target)]).wait()
        return try rows.map { row in
            let cells = Array(row)
            return Column(name: try cells[0].decode(String.self), type: PostgresDataType(UInt32(try cells[1].decode(Int64.self))),
                          notNull: try cells[2].decode(Bool.self))
        }
    }
}

import Foundation
import SluiceCore

/// How a database sink puts rows into its target table: `append` inserts them all;
/// `upsert` inserts or, when a row with the same `key` exists, updates its other columns.
enum TableWriteMode: Sendable, Hashable {
    case append
    case upsert(key: [String])

    var key: [String] {
        if case let .upsert(key) = self { return key }
        return []
    }

    /// The `mode` and `key` options (`key` is required by `upsert` and refused otherwise).
    init(_ options: ConnectorOptions) throws {
        let mode = try options.choice("mode", ["append", "upsert"]) ?? "append"
        let key = try options.strings("key")
        switch (mode, key) {
        case ("upsert", let key?) where !key.isEmpty: self = .upsert(key: key)
        case ("upsert", _): throw OptionError(path: options.path(of: "key"), "is required by mode upsert (the key columns)")
        case (_, nil): self = .append
        case (_, _?): throw OptionError(path: options.path(of: "key"), "is only used with mode: upsert")
        }
    }

    /// The SQL that follows `INSERT INTO target (columns) SELECT ...` for this mode:
    /// nothing, or `ON CONFLICT (key) DO UPDATE SET c = excluded.c, ...` (`DO NOTHING` when
    /// every column is part of the key).
    func conflictClause(columns: [String]) -> String {
        guard case let .upsert(key) = self else { return "" }
        let keyList = key.map(SQLDialect.quote).joined(separator: ", ")
        let updates = columns.filter { !key.contains($0) }.map { "\(SQLDialect.quote($0)) = excluded.\(SQLDialect.quote($0))" }
        return " ON CONFLICT (\(keyList)) " + (updates.isEmpty ? "DO NOTHING" : "DO UPDATE SET " + updates.joined(separator: ", "))
    }
}

/// What a database connector reads or writes, from `table` / `query` and the kind asked for:
/// `query` makes a source (a query cannot be written to); otherwise the config's `kind`
/// decides, and without one it is a source.
enum SQLTarget {
    static func relation(_ options: ConnectorOptions, kind: Connector.Kind?, type: String) throws -> (Connector.Kind, SQLRelation) {
        let table = try options.string("table"), query = try options.string("query")
        switch (table, query) {
        case let (table?, nil):
            guard !table.isEmpty else { throw OptionError(path: options.path(of: "table"), "must not be empty") }
            // Without `kind:`, the sink-only options make it a sink.
            return (kind ?? (options.has("mode") || options.has("key") ? .sink : .source), .table(table))
        case let (nil, query?):
            if kind == .sink { throw OptionError(path: options.path(of: "query"), "a \(type) sink writes to a table; give table, not query") }
            guard !query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw OptionError(path: options.path(of: "query"), "must not be empty")
            }
            return (.source, .query(query))
        case (_?, _?): throw OptionError(path: options.path, "\(type) takes table or query, not both")
        case (nil, nil): throw OptionError(path: options.path(of: "table"), "is required (or query, for a source)")
        }
    }
}

import SluiceLocks

/// The methods registered for each route pattern, in order (for CORS preflight answers).
/// Filled while routes are registered, read after.
final class RouteMethodTable: Sendable {
    private struct Table {
        var patterns: [String] = []
        var methods: [String: [String]] = [:]
    }
    private let table = Locked(Table())

    func add(_ method: String, _ pattern: String) {
        table.withLock { table in
            if table.methods[pattern] == nil { table.patterns.append(pattern) }
            if table.methods[pattern]?.contains(method) != true { table.methods[pattern, default: []].append(method) }
        }
    }

    var all: [(pattern: String, methods: [String])] {
        table.withLock { table in table.patterns.map { ($0, table.methods[$0] ?? []) } }
    }
}

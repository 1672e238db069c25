import Foundation

/// The methods registered for each route pattern, in order (for CORS preflight answers).
/// Filled while routes are registered, read after.
final class RouteMethodTable: @unchecked Sendable {
    // `@unchecked Sendable` guard: `patterns` and `methods` are used only under `lock`.
    private let lock = NSLock()
    private var patterns: [String] = []
    private var methods: [String: [String]] = [:]

    func add(_ method: String, _ pattern: String) {
        lock.lock()
        defer { lock.unlock() }
        if methods[pattern] == nil { patterns.append(pattern) }
        if methods[pattern]?.contains(method) != true { methods[pattern, default: []].append(method) }
    }

    var all: [(pattern: String, methods: [String])] {
        lock.lock()
        defer { lock.unlock() }
        return patterns.map { ($0, methods[$0] ?? []) }
    }
}

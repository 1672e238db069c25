import Foundation

/// Waits until `condition` holds, checking every few milliseconds; fails after `seconds`.
/// A hang guard for state that another party changes, never a timing assertion.
func eventually(_ what: String, within seconds: Double = 30,
                _ condition: () async throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try await !condition() {
        guard Date() < deadline else { throw EventuallyTimeout(description: "still not true after \(seconds) s: \(what)") }
        try await Task.sleep(nanoseconds: 5_000_000)
    }
}

struct EventuallyTimeout: Error, CustomStringConvertible {
    let description: String
}

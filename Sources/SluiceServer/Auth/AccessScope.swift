#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// One permission of an access token:
/// - `read:<connector>` reads a source (its rows, tasks and listing entry),
/// - `write:<connector>` writes into a sink (sessions, batches, one-shot writes),
/// - `admin` does everything: every connector, every session, `/metrics`.
/// A connector is named or matched with a shell glob (`read:*`, `write:events-*`).
public enum AccessScope: Sendable, Hashable, CustomStringConvertible {
    case read(String)
    case write(String)
    case admin

    /// Parses `read:<glob>`, `write:<glob>` or `admin`; nil for anything else.
    public init?(_ text: String) {
        if text == "admin" { self = .admin; return }
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let pattern = String(text[text.index(after: colon)...])
        guard !pattern.isEmpty, !pattern.contains(where: { $0 == " " || $0 == "/" }) else { return nil }
        switch text[..<colon] {
        case "read": self = .read(pattern)
        case "write": self = .write(pattern)
        default: return nil
        }
    }

    /// Whether this scope lets its holder use connector `name` of `kind`.
    public func allows(_ kind: Connector.Kind, _ name: String) -> Bool {
        switch (self, kind) {
        case (.admin, _): return true
        case let (.read(pattern), .source), let (.write(pattern), .sink): return fnmatch(pattern, name, 0) == 0
        default: return false
        }
    }

    public var description: String {
        switch self {
        case let .read(pattern): return "read:" + pattern
        case let .write(pattern): return "write:" + pattern
        case .admin: return "admin"
        }
    }
}

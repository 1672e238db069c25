/// One problem in input data, located: 1-based line and column (column in bytes within the
/// line), and the field concerned when there is one.
public struct DataIssue: Error, Hashable, Sendable, Codable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var field: String?
    public var message: String

    public init(line: Int, column: Int, field: String? = nil, _ message: String) {
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    public var description: String {
        "line \(line), column \(column)" + (field.map { ", field '\($0)'" } ?? "") + ": \(message)"
    }
}

/// Input that could not be decoded. Decoders collect issues (up to a cap) rather than stop
/// at the first, so a client can fix them all at once; no partial batch is ever returned.
public struct DecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var issues: [DataIssue]
    /// True when more issues existed than were kept.
    public var truncated: Bool

    public init(_ issues: [DataIssue], truncated: Bool = false) {
        self.issues = issues
        self.truncated = truncated
    }

    public var description: String {
        issues.map(\.description).joined(separator: "; ") + (truncated ? "; ..." : "")
    }
}

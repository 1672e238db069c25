/// What a reader asks of a source: the columns it wants, a filter, a row limit.
///
/// As in Daft these are hints. A source may ignore any of them; the server re-applies them to
/// what every task yields (`PushdownApplier`: filter, then project, then limit). A source
/// that honours `columns` still reads the columns its filter needs; one that honours `limit`
/// does so only when it also applies the whole filter.
public struct Pushdowns: Hashable, Sendable {
    /// The wanted columns in output order; `nil` means all.
    public var columns: [String]?
    public var filter: Expression?
    public var limit: Int?

    public init(columns: [String]? = nil, filter: Expression? = nil, limit: Int? = nil) {
        self.columns = columns
        self.filter = filter
        self.limit = limit
    }

    public static let none = Pushdowns()
}

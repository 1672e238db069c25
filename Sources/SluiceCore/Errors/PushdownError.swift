/// Pushdowns that cannot apply to a source: an unknown or repeated column in `columns`, or a
/// negative `limit`. `parameter` names the pushdown so the server can name the query
/// parameter (`columns=`, `limit=`) in its 400. Filter problems are `ExpressionError`s.
public struct PushdownError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Parameter: String, Hashable, Sendable { case columns, limit }

    public var parameter: Parameter
    public var message: String

    public init(_ parameter: Parameter, _ message: String) {
        self.parameter = parameter
        self.message = message
    }

    public var description: String { "\(parameter.rawValue): \(message)" }
}

/// A filter expression that cannot be parsed, or that does not fit a schema.
///
/// `position` is the 1-based offset in Unicode scalars (characters, for ordinary text) into
/// the expression text where the problem is; a position one past the end means the text
/// ended too early. It is `nil` for an expression built in code rather than parsed, where
/// no text exists to point into. The server answers a bad `where=` with a 400 whose detail
/// is `description`.
public struct ExpressionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var position: Int?
    /// The column concerned, when there is one (an unknown or incomparable column).
    public var column: String?

    public init(_ message: String, position: Int? = nil, column: String? = nil) {
        self.message = message
        self.position = position
        self.column = column
    }

    /// `position 12: expected a value after '='`, or just the message without a position.
    public var description: String {
        position.map { "position \($0): \(message)" } ?? message
    }
}

/// A schema or type that is not valid, or data that does not fit a schema.
public struct SchemaError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    /// The column concerned, when there is one.
    public var column: String?

    public init(_ message: String, column: String? = nil) {
        self.message = message
        self.column = column
    }

    public var description: String { message }

    public static func unknownColumn(_ name: String, in schema: Schema) -> SchemaError {
        SchemaError("unknown column '\(name)' (columns: \(schema.names.joined(separator: ", ")))", column: name)
    }
}

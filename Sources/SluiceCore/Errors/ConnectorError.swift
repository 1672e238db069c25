/// A failure inside a connector, with the connector and, where known, the file or object and
/// the position in it (byte offset, line).
public struct ConnectorError: Error, Hashable, Sendable, CustomStringConvertible {
    public var connector: String
    public var message: String
    public var path: String?
    public var offset: Int?
    public var line: Int?

    public init(connector: String, _ message: String, path: String? = nil, offset: Int? = nil, line: Int? = nil) {
        self.connector = connector
        self.message = message
        self.path = path
        self.offset = offset
        self.line = line
    }

    public var description: String {
        var where_: [String] = []
        if let path { where_.append(path) }
        if let line { where_.append("line \(line)") }
        if let offset { where_.append("byte \(offset)") }
        return "\(connector): \(message)" + (where_.isEmpty ? "" : " (\(where_.joined(separator: ", ")))")
    }
}

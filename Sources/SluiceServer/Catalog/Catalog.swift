import SluiceCore

/// The connectors a server serves, by name, in configuration order.
public struct Catalog: Sendable {
    public struct Entry: Sendable {
        public var name: String
        /// The connector type's name (`text-file`, or a custom type's).
        public var type: String
        public var description: String
        public var connector: Connector
        /// Identifies the configuration the connector was built from (SHA-256 of its type,
        /// kind and options): a write session opened under one fingerprint is not resumed
        /// under another.
        public var fingerprint: String

        public init(name: String, type: String, description: String, connector: Connector, fingerprint: String? = nil) {
            self.name = name
            self.type = type
            self.description = description
            self.connector = connector
            self.fingerprint = fingerprint ?? "type:" + type
        }

        public var kind: Connector.Kind { connector.kind }
    }

    public let entries: [Entry]
    private let byName: [String: Int]

    public init(_ entries: [Entry]) {
        self.entries = entries
        byName = Dictionary(entries.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public subscript(name: String) -> Entry? { byName[name].map { entries[$0] } }

    public func source(_ name: String) -> (any DataSource)? {
        if case let .source(s)? = self[name]?.connector { return s }
        return nil
    }

    public func sink(_ name: String) -> SinkFactory? {
        if case let .sink(f)? = self[name]?.connector { return f }
        return nil
    }
}

/// A registered connector, ready to serve: a source, or a sink factory (one sink instance per
/// write session).
public enum Connector: Sendable {
    case source(any DataSource)
    case sink(SinkFactory)

    public var kind: Kind {
        switch self {
        case .source: return .source
        case .sink: return .sink
        }
    }

    public enum Kind: String, Sendable, Codable { case source, sink }
}

/// Makes a fresh sink for each write session. `prototype` answers name and schemas for the
/// listing without starting anything.
public struct SinkFactory: Sendable {
    public let make: @Sendable () throws -> AnyDataSink
    public let prototype: AnyDataSink

    public init<S: DataSink>(_ make: @escaping @Sendable () throws -> S) throws {
        self.make = { AnyDataSink(try make()) }
        self.prototype = AnyDataSink(try make())
    }
}

/// A connector type that a config file names (`type: local-files`): it builds connectors from
/// options. Register custom ones with the server's registry.
public struct ConnectorType: Sendable {
    /// The name used in config files, e.g. `text-file`.
    public let name: String
    public let summary: String
    /// What it can be: a source, a sink, or (by option) either.
    public let kinds: [Connector.Kind]
    /// Builds a connector. `kind` is the kind asked for when the type offers both.
    public let make: @Sendable (_ options: ConnectorOptions, _ kind: Connector.Kind?) throws -> Connector

    public init(name: String, summary: String, kinds: [Connector.Kind],
                make: @escaping @Sendable (ConnectorOptions, Connector.Kind?) throws -> Connector) {
        self.name = name
        self.summary = summary
        self.kinds = kinds
        self.make = make
    }
}

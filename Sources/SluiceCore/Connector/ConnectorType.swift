import Foundation

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
/// listing without starting anything, and sweeps orphaned staging at start.
public struct SinkFactory: Sendable {
    private let makeSink: @Sendable (_ session: String) throws -> AnyDataSink
    public let prototype: AnyDataSink

    /// A factory whose sinks stage nothing by session id.
    public init<S: DataSink>(_ make: @escaping @Sendable () throws -> S) throws {
        try self.init(perSession: { _ in try make() })
    }

    /// A factory whose sinks name their staging after the session id (so a sink made again
    /// for the same id after a restart finds it: see `DataSink.resume`).
    public init<S: DataSink>(perSession make: @escaping @Sendable (_ session: String) throws -> S) throws {
        makeSink = { AnyDataSink(try make($0)) }
        prototype = AnyDataSink(try make("prototype"))
    }

    /// The sink of write session `session` (a session id: letters, digits and '-').
    public func make(session: String) throws -> AnyDataSink { try makeSink(session) }

    /// A sink for a write of its own (tests, embedding): a fresh random session id.
    public func make() throws -> AnyDataSink { try makeSink(WriteSessionID.random()) }
}

/// Write session ids: lowercase UUIDs, also safe inside file and table names.
public enum WriteSessionID {
    public static func random() -> String { UUID().uuidString.lowercased() }

    /// The id without '-' (for SQL identifiers and prefixes).
    public static func compact(_ id: String) -> String { id.replacingOccurrences(of: "-", with: "") }

    /// Whether `text` could be a session id (used before a stored name is trusted).
    public static func isValid(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D }
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
    /// Every option it reads (of either kind): a config's other names are reported all at
    /// once, with the nearest as a suggestion, and `sluice types` lists them. Empty: unknown
    /// names are found by `ConnectorOptions.finish()` alone.
    public let options: [Option]
    /// Builds a connector. `kind` is the kind asked for when the type offers both.
    public let make: @Sendable (_ options: ConnectorOptions, _ kind: Connector.Kind?) throws -> Connector

    /// One option of a type: its name, what it means, and its default (nil: required or none).
    /// A bare string literal is an option with only a name.
    public struct Option: Sendable, ExpressibleByStringLiteral {
        public let name: String
        public let summary: String
        public let defaultValue: String?

        public init(_ name: String, _ summary: String, default defaultValue: String? = nil) {
            self.name = name
            self.summary = summary
            self.defaultValue = defaultValue
        }

        public init(stringLiteral name: String) { self.init(name, "") }
    }

    public var optionNames: [String] { options.map(\.name) }

    public init(name: String, summary: String, kinds: [Connector.Kind], options: [Option] = [],
                make: @escaping @Sendable (ConnectorOptions, Connector.Kind?) throws -> Connector) {
        self.name = name
        self.summary = summary
        self.kinds = kinds
        self.options = options
        self.make = make
    }
}

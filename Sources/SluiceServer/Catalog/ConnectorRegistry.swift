import Crypto
import SluiceConnectors
import SluiceCore

/// The connector types a server knows by name: the built-in ones plus any registered in code.
/// It turns a `SluiceConfig` into a `Catalog`, checking every connector's options.
public struct ConnectorRegistry: Sendable {
    public private(set) var types: [String: ConnectorType] = [:]

    /// A registry with Sluice's built-in connector types.
    public static var builtin: ConnectorRegistry {
        var registry = ConnectorRegistry()
        for type in BuiltinConnectors.all { registry.register(type) }
        return registry
    }

    public init() {}

    /// Adds (or replaces) a type, e.g. a custom connector written in Swift.
    public mutating func register(_ type: ConnectorType) {
        types[type.name] = type
    }

    /// Builds every configured connector; reports every failure with its config path.
    public func catalog(for config: SluiceConfig) throws -> Catalog {
        var entries: [Catalog.Entry] = []
        var errors: [OptionError] = []
        for entry in config.connectors {
            guard let type = types[entry.type] else {
                errors.append(OptionError(path: "\(entry.path).type",
                                          "unknown connector type '\(entry.type)' (known: \(types.keys.sorted().joined(separator: ", ")))"))
                continue
            }
            if let kind = entry.kind, !type.kinds.contains(kind) {
                errors.append(OptionError(path: "\(entry.path).kind", "\(type.name) cannot be a \(kind.rawValue)"))
                continue
            }
            do {
                let options = try ConnectorOptions(entry.options, path: "\(entry.path).options",
                                                   baseDirectory: config.baseDirectory)
                let connector = try type.make(options, entry.kind)
                try options.finish()
                entries.append(Catalog.Entry(name: entry.name, type: type.name,
                                             description: entry.description ?? type.summary, connector: connector,
                                             fingerprint: Self.fingerprint(entry, base: config.baseDirectory)))
            } catch let error as OptionError {
                errors.append(error)
            } catch {
                errors.append(OptionError(path: "\(entry.path).options", "\(error)"))
            }
        }
        if !errors.isEmpty { throw ConfigErrors(errors, lines: config.lines) }
        return Catalog(entries)
    }

    /// SHA-256 (hex) of a canonical text of the entry's type, kind, options and base folder.
    static func fingerprint(_ entry: SluiceConfig.Entry, base: String) -> String {
        var text = "type=\(entry.type);kind=\(entry.kind?.rawValue ?? "");base=\(base);options="
        canonical(entry.options, into: &text)
        return Hex.string(SHA256.hash(data: Array(text.utf8)))
    }

    private static func canonical(_ value: OptionValue, into text: inout String) {
        switch value {
        case .null: text += "null"
        case let .bool(b): text += b ? "true" : "false"
        case let .int(i): text += "i\(i)"
        case let .double(d): text += "d\(d)"
        case let .string(s): text += "s\(s.utf8.count):\(s)"
        case let .list(items):
            text += "["
            for item in items { canonical(item, into: &text); text += "," }
            text += "]"
        case let .map(members):
            text += "{"
            for (key, item) in members.sorted(by: { $0.0 < $1.0 }) {
                text += "\(key.utf8.count):\(key)="
                canonical(item, into: &text)
                text += ","
            }
            text += "}"
        }
    }
}

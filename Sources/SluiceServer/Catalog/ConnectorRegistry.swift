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

    /// Builds every configured connector; reports every mistake at once, each with its
    /// config path: the file's shape (`SluiceConfig.problems`), unknown types and kinds, and
    /// each connector's option errors (all of them: after an option error the connector is
    /// checked again without that option).
    public func catalog(for config: SluiceConfig) throws -> Catalog {
        var entries: [Catalog.Entry] = []
        var errors = config.problems
        for entry in config.connectors {
            guard let type = types[entry.type] else {
                let known = types.keys.sorted()
                errors.append(OptionError(path: "\(entry.path).type", "unknown connector type '\(entry.type)'"
                                          + Suggestion.didYouMean(entry.type, among: known) + " (types: \(known.joined(separator: ", ")))"))
                continue
            }
            var kind = entry.kind
            if let asked = kind, !type.kinds.contains(asked) {
                errors.append(OptionError(path: "\(entry.path).kind", "\(type.name) cannot be a \(asked.rawValue), only a "
                                          + type.kinds.map(\.rawValue).joined(separator: " or ")))
                kind = nil  // check the options as the type's own kind
            }
            let (connector, optionErrors) = build(entry, type: type, kind: kind, baseDirectory: config.baseDirectory)
            errors += optionErrors
            if let connector, errors.isEmpty {
                entries.append(Catalog.Entry(name: entry.name, type: type.name,
                                             description: entry.description ?? type.summary, connector: connector,
                                             fingerprint: Self.fingerprint(entry, base: config.baseDirectory)))
            }
        }
        if !errors.isEmpty { throw ConfigErrors(errors, lines: config.lines) }
        return Catalog(entries)
    }

    /// Makes one connector; after an option error, tries again without that option, so every
    /// independent mistake of the entry is found in one run.
    private func build(_ entry: SluiceConfig.Entry, type: ConnectorType, kind: Connector.Kind?,
                       baseDirectory: String) -> (Connector?, [OptionError]) {
        let optionsPath = "\(entry.path).options"
        let all: ConnectorOptions
        do { all = try ConnectorOptions(entry.options, path: optionsPath, baseDirectory: baseDirectory) } catch let error as OptionError {
            return (nil, [error])
        } catch {
            return (nil, [OptionError(path: optionsPath, "\(error)")])
        }
        var errors: [OptionError] = []
        var removed = Set<String>()
        if !type.optionNames.isEmpty, case let .map(given) = entry.options {
            for (name, _) in given where !type.optionNames.contains(name) {
                errors.append(OptionError(path: "\(optionsPath).\(name)", "unknown option" + Suggestion.didYouMean(name, among: type.optionNames)
                                          + " (\(type.name) options: \(type.optionNames.joined(separator: ", ")))"))
                removed.insert(name)
            }
        }
        for _ in 0..<32 {
            let options = removed.isEmpty ? all : all.removing(removed)
            do {
                let connector = try type.make(options, kind)
                try options.finish()
                return (errors.isEmpty ? connector : nil, errors)
            } catch let error as OptionError {
                let name = Self.optionName(error.path, under: optionsPath)
                if let name, removed.contains(name) { return (nil, errors) }  // required, and already reported
                errors.append(error)
                guard let name else { return (nil, errors) }
                removed.insert(name)
            } catch {
                errors.append(OptionError(path: optionsPath, "\(error)"))
                return (nil, errors)
            }
        }
        return (nil, errors)
    }

    /// `connectors[0].options.paths[1]` → `paths`; nil for a path that names no one option.
    static func optionName(_ path: String, under optionsPath: String) -> String? {
        guard path.hasPrefix(optionsPath + ".") else { return nil }
        let rest = path.dropFirst(optionsPath.count + 1)
        let name = rest.prefix { $0 != "." && $0 != "[" }
        return name.isEmpty ? nil : String(name)
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

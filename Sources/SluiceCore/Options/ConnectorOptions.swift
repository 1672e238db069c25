/// The options of one configured connector, with typed accessors whose errors name the
/// option's path in the config file (`connectors[1].options.max_rows_per_file: must be a
/// positive integer`). Relative paths resolve against `baseDirectory` (the config's folder).
///
/// Unknown option names are errors too: call `finish()` after reading every option.
public final class ConnectorOptions: @unchecked Sendable {
    // `@unchecked Sendable` guard: `used` is written while one connector is built, on one thread, before the options are shared.
    public let path: String
    public let baseDirectory: String
    private let entries: [(String, OptionValue)]
    private var used = Set<String>()

    public init(_ value: OptionValue, path: String, baseDirectory: String) throws {
        self.path = path
        self.baseDirectory = baseDirectory
        switch value {
        case .null: entries = []
        case let .map(m): entries = m
        default: throw OptionError(path: path, "must be a mapping of option names to values")
        }
    }

    /// Options given as a dictionary (for connectors made in code).
    public convenience init(_ values: [String: OptionValue], baseDirectory: String = ".") {
        try! self.init(.map(values.sorted { $0.key < $1.key }), path: "options", baseDirectory: baseDirectory)
    }

    public func has(_ name: String) -> Bool { raw(name) != nil }

    public func raw(_ name: String) -> OptionValue? {
        used.insert(name)
        return entries.first { $0.0 == name }.map(\.1)
    }

    func at(_ name: String) -> String { "\(path).\(name)" }

    public func string(_ name: String) throws -> String? {
        switch raw(name) {
        case nil, .null?: return nil
        case let .string(s)?: return s
        case let .int(i)?: return String(i)
        default: throw OptionError(path: at(name), "must be a string")
        }
    }

    public func requiredString(_ name: String) throws -> String {
        guard let s = try string(name), !s.isEmpty else { throw OptionError(path: at(name), "is required") }
        return s
    }

    public func int(_ name: String, min: Int? = nil) throws -> Int? {
        let value: Int
        switch raw(name) {
        case nil, .null?: return nil
        case let .int(i)?: value = i
        default: throw OptionError(path: at(name), min == 1 ? "must be a positive integer" : "must be an integer")
        }
        if let min, value < min {
            throw OptionError(path: at(name), min == 1 ? "must be a positive integer" : "must be at least \(min)")
        }
        return value
    }

    public func double(_ name: String) throws -> Double? {
        switch raw(name) {
        case nil, .null?: return nil
        case let .int(i)?: return Double(i)
        case let .double(d)?: return d
        default: throw OptionError(path: at(name), "must be a number")
        }
    }

    public func bool(_ name: String) throws -> Bool? {
        switch raw(name) {
        case nil, .null?: return nil
        case let .bool(b)?: return b
        default: throw OptionError(path: at(name), "must be true or false")
        }
    }

    /// A list of strings; a single string counts as a list of one.
    public func strings(_ name: String) throws -> [String]? {
        switch raw(name) {
        case nil, .null?: return nil
        case let .string(s)?: return [s]
        case let .list(items)?:
            return try items.enumerated().map { i, item in
                guard case let .string(s) = item else { throw OptionError(path: "\(at(name))[\(i)]", "must be a string") }
                return s
            }
        default: throw OptionError(path: at(name), "must be a string or a list of strings")
        }
    }

    /// One of `choices`.
    public func choice(_ name: String, _ choices: [String]) throws -> String? {
        guard let s = try string(name) else { return nil }
        guard choices.contains(s) else {
            throw OptionError(path: at(name), "must be one of \(choices.joined(separator: ", ")), not '\(s)'")
        }
        return s
    }

    /// A schema given as a mapping `{name: Type}` or a list of `{name, type, nullable}`.
    public func schema(_ name: String) throws -> Schema? {
        switch raw(name) {
        case nil, .null?: return nil
        case let .map(m)?:
            return try makeSchema(m.map { key, value in
                guard case let .string(t) = value else { throw OptionError(path: "\(at(name)).\(key)", "must be a type name") }
                return try field(key, t, true, "\(at(name)).\(key)")
            }, name)
        case let .list(items)?:
            return try makeSchema(items.enumerated().map { i, item in
                let p = "\(at(name))[\(i)]"
                guard case let .map(m) = item,
                      case let .string(n)? = m.first(where: { $0.0 == "name" })?.1,
                      case let .string(t)? = m.first(where: { $0.0 == "type" })?.1
                else { throw OptionError(path: p, "must be {name, type, nullable}") }
                var nullable = true
                if case let .bool(b)? = m.first(where: { $0.0 == "nullable" })?.1 { nullable = b }
                return try field(n, t, nullable, p)
            }, name)
        default: throw OptionError(path: at(name), "must be a mapping of column names to types")
        }
    }

    private func field(_ name: String, _ type: String, _ nullable: Bool, _ p: String) throws -> Field {
        do { return Field(name, try DataType(parsing: type), nullable: nullable) } catch let e as SchemaError {
            throw OptionError(path: p, e.message)
        }
    }

    private func makeSchema(_ fields: [Field], _ name: String) throws -> Schema {
        do { return try Schema(validating: fields) } catch let e as SchemaError { throw OptionError(path: at(name), e.message) }
    }

    /// A path option resolved against the config's folder.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (baseDirectory == "." ? path : baseDirectory + "/" + path)
    }

    /// Throws for any option that no accessor asked for (a typo in the config), naming the
    /// nearest option this connector reads and all of them.
    public func finish() throws {
        for (name, _) in entries where !used.contains(name) {
            let known = used.filter { !$0.hasPrefix("_") }.sorted()
            throw OptionError(path: at(name), "unknown option" + Suggestion.didYouMean(name, among: known)
                                  + (known.isEmpty ? "" : " (options: \(known.joined(separator: ", ")))"))
        }
    }

    /// The same options without `names` (to check the rest after a mistake in those).
    public func removing(_ names: Set<String>) -> ConnectorOptions {
        ConnectorOptions(entries: entries.filter { !names.contains($0.0) }, path: path, baseDirectory: baseDirectory)
    }

    private init(entries: [(String, OptionValue)], path: String, baseDirectory: String) {
        self.entries = entries
        self.path = path
        self.baseDirectory = baseDirectory
    }
}

/// A configuration mistake, with its path in the config file.
public struct OptionError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

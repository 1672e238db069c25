import Foundation
import SluiceCore
import Yams

/// The connectors a server serves, as declared in a YAML file:
///
/// ```yaml
/// connectors:
///   - name: users
///     type: local-files          # a registered connector type
///     kind: sink                 # only for types that can be either
///     description: Where users go
///     options: {output_dir: out, max_rows_per_file: 10}
/// ```
///
/// Beside `connectors`, a config may have `auth:` (access tokens: `AuthSettings`) and `cors:`
/// (`allowed_origins`: `CORSPolicy`).
///
/// Loading checks the file's shape (only unreadable YAML, or no `connectors` list, stops it
/// there); `ConnectorRegistry.catalog(for:)` then checks each connector's options and reports
/// every mistake of both at once. Relative paths in options resolve against `baseDirectory`.
public struct SluiceConfig: Sendable {
    public struct Entry: Sendable {
        public var name: String
        public var type: String
        public var kind: Connector.Kind?
        public var description: String?
        public var options: OptionValue
        /// Where the entry is in the file, `connectors[i]`.
        public var path: String
    }

    public var connectors: [Entry]
    /// The `auth:` section: access tokens and their scopes (none: no token checks).
    public var auth = AuthSettings()
    /// The `cors:` section: `allowed_origins` (none by default).
    public var cors = CORSPolicy()
    /// The folder relative option paths resolve against.
    public var baseDirectory: String
    /// 1-based line of each config path (`connectors[1].options.n`), for error messages.
    public var lines: [String: Int]
    /// Mistakes in the file's shape (names, kinds, settings), reported together with every
    /// option error by `ConnectorRegistry.catalog(for:)`.
    public var problems: [OptionError] = []

    /// Reads a config file.
    public static func load(file: String) throws -> SluiceConfig {
        let text: String
        do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw ConfigErrors([OptionError(path: file, "cannot read the file: \(error.localizedDescription)")])
        }
        let folder = (file as NSString).deletingLastPathComponent
        return try parse(yaml: text, baseDirectory: folder.isEmpty ? "." : folder)
    }

    /// A YAML document as option values (for files beside the config, such as a tokens file).
    public static func optionValue(yaml: String, file: String) throws -> OptionValue {
        do {
            guard let root = try Yams.compose(yaml: yaml) else { return .null }
            var lines: [String: Int] = [:]
            return OptionValue(node: root, path: "", lines: &lines)
        } catch {
            throw OptionError(path: file, "not valid YAML: \(error)")
        }
    }

    /// Parses config text; every structural error is reported, each with its path.
    public static func parse(yaml: String, baseDirectory: String) throws -> SluiceConfig {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            throw ConfigErrors([OptionError(path: "(file)", "not valid YAML: \(error)")])
        }
        var lines: [String: Int] = [:]
        guard let root, case let .map(top) = OptionValue(node: root, path: "", lines: &lines) else {
            throw ConfigErrors([OptionError(path: "(file)", "must be a mapping with a 'connectors' list")])
        }
        var errors: [OptionError] = []
        for (key, _) in top where !["connectors", "auth", "cors"].contains(key) {
            errors.append(OptionError(path: key, "unknown setting (expected 'connectors', 'auth' or 'cors')"))
        }
        var auth = AuthSettings()
        if let section = top.first(where: { $0.0 == "auth" })?.1 {
            do { auth = try AuthSettings(section, path: "auth", baseDirectory: baseDirectory) } catch let error as OptionError {
                errors.append(error)
            }
        }
        var cors = CORSPolicy()
        if let section = top.first(where: { $0.0 == "cors" })?.1 {
            do {
                let options = try ConnectorOptions(section, path: "cors", baseDirectory: baseDirectory)
                cors = CORSPolicy(allowedOrigins: try options.strings("allowed_origins") ?? [])
                try options.finish()
            } catch let error as OptionError {
                errors.append(error)
            }
        }
        guard case let .list(items)? = top.first(where: { $0.0 == "connectors" })?.1 else {
            throw ConfigErrors(errors + [OptionError(path: "connectors", "is required and must be a list")])
        }
        var entries: [Entry] = []
        var names = Set<String>()
        for (i, item) in items.enumerated() {
            let path = "connectors[\(i)]"
            guard case let .map(fields) = item else {
                errors.append(OptionError(path: path, "must be a mapping with name, type and options"))
                continue
            }
            func text(_ key: String) -> String? {
                if case let .string(s)? = fields.first(where: { $0.0 == key })?.1 { return s }
                return nil
            }
            for (key, _) in fields where !["name", "type", "kind", "description", "options"].contains(key) {
                let known = ["name", "type", "kind", "description", "options"]
                errors.append(OptionError(path: "\(path).\(key)",
                                          "unknown setting\(Suggestion.didYouMean(key, among: known)) (settings: \(known.joined(separator: ", ")))"))
            }
            // A mistake in the name, the kind or the type does not stop the other checks:
            // the entry's options are still checked (`ConnectorRegistry.catalog(for:)`).
            let name = text("name") ?? ""
            if !Self.isValidName(name) {
                errors.append(OptionError(path: "\(path).name", "is required: letters, digits, '_', '-' or '.'"))
            } else if !names.insert(name).inserted {
                errors.append(OptionError(path: "\(path).name", "'\(name)' is used by another connector"))
            }
            var kind: Connector.Kind?
            if let k = text("kind") {
                kind = Connector.Kind(rawValue: k)
                if kind == nil { errors.append(OptionError(path: "\(path).kind", "must be source or sink, not '\(k)'")) }
            }
            guard let type = text("type") else {
                errors.append(OptionError(path: "\(path).type", "is required"))
                continue
            }
            let options = fields.first(where: { $0.0 == "options" })?.1 ?? .null
            entries.append(Entry(name: name, type: type, kind: kind, description: text("description"),
                                 options: options, path: path))
        }
        return SluiceConfig(connectors: entries, auth: auth, cors: cors, baseDirectory: baseDirectory, lines: lines, problems: errors)
    }

    /// Connector names appear in URLs: keep them to a safe alphabet.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 128 && name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
    }
}

/// Every error found in a config, each with its path (and line when known).
public struct ConfigErrors: Error, CustomStringConvertible {
    public var errors: [OptionError]
    public var lines: [String: Int]

    public init(_ errors: [OptionError], lines: [String: Int] = [:]) {
        self.errors = errors
        self.lines = lines
    }

    /// One line per error: `connectors[1].options.n: must be an integer (line 7)`.
    public var messages: [String] {
        errors.map { e in
            var p = e.path
            while !p.isEmpty, lines[p] == nil, let cut = p.lastIndex(where: { $0 == "." || $0 == "[" }) {
                p = String(p[..<cut])
            }
            return e.description + (lines[p].map { " (line \($0))" } ?? "")
        }
    }

    public var description: String { messages.joined(separator: "\n") }
}

extension OptionValue {
    /// Converts a YAML node, recording each path's line.
    init(node: Node, path: String, lines: inout [String: Int]) {
        if let line = node.mark?.line, !path.isEmpty { lines[path] = line }
        switch node {
        case let .scalar(scalar):
            // Quoted scalars are strings; plain ones resolve as YAML 1.2's core schema does.
            if scalar.style != .plain {
                self = .string(scalar.string)
            } else if node.null != nil {
                self = .null
            } else if let b = node.bool {
                self = .bool(b)
            } else if let i = node.int {
                self = .int(i)
            } else if let d = node.float {
                self = .double(d)
            } else {
                self = .string(scalar.string)
            }
        case let .sequence(seq):
            self = .list(seq.enumerated().map { OptionValue(node: $1, path: "\(path)[\($0)]", lines: &lines) })
        case let .mapping(map):
            self = .map(map.map { key, value in
                let k = key.string ?? "\(key)"
                return (k, OptionValue(node: value, path: path.isEmpty ? k : "\(path).\(k)", lines: &lines))
            })
        case .alias:
            self = .null
        }
    }
}

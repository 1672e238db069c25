import SluiceCore

/// Option helpers shared by the built-in connector types.
extension ConnectorOptions {
    /// The config path of option `name`, for errors.
    func path(of name: String) -> String { "\(path).\(name)" }

    /// The `paths` option (a string or a list, globs allowed), checked now and expanded again
    /// whenever tasks are planned.
    func fileSet(_ name: String = "paths", connector: String) throws -> FileSet {
        guard let entries = try strings(name) else { throw OptionError(path: path(of: name), "is required") }
        return try PathExpander.fileSet(entries, options: self, optionName: name, connector: connector)
    }

    /// Checks that a single-kind type is asked for its own kind (or none).
    func expect(_ kind: Connector.Kind?, is own: Connector.Kind, type: String) throws {
        if let kind, kind != own { throw OptionError(path: path, "\(type) is a \(own.rawValue) only, not a \(kind.rawValue)") }
    }

    /// For a type that is both: the asked kind, or `paths` → source, `output_dir` → sink.
    func sourceOrSink(_ kind: Connector.Kind?, type: String) throws -> Connector.Kind {
        if let kind { return kind }
        let reads = has("paths"), writes = has("output_dir")
        switch (reads, writes) {
        case (true, false): return .source
        case (false, true): return .sink
        case (true, true): throw OptionError(path: path, "\(type) takes either paths (a source) or output_dir (a sink), not both")
        case (false, false): throw OptionError(path: path, "\(type) needs paths (to read files) or output_dir (to write them)")
        }
    }
}

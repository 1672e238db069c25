import SluiceCore

/// The files of a file source: its `paths` entries, expanded when the connector is built
/// (so a mistake shows at start) and again each time tasks are planned, so a file that
/// appears later under a glob is read without a restart.
///
/// At planning time a glob that matches nothing adds no file (no tasks, no rows); a plain
/// path that has gone is a `ConnectorError` naming it and what is there instead.
public struct FileSet: Sendable, Hashable {
    /// One entry, resolved against the config folder.
    public enum Entry: Sendable, Hashable {
        case file(String)
        case glob(String)
    }

    public let entries: [Entry]
    let connector: String

    /// A fixed list of plain paths (no globs are expanded).
    public init(files: [String], connector: String = "files") {
        self.init(entries: files.map(Entry.file), connector: connector)
    }

    init(entries: [Entry], connector: String) {
        self.entries = entries
        self.connector = connector
    }

    /// The files the entries name now, in entry order, without duplicates.
    public func expand() throws -> [String] {
        var seen = Set<String>()
        var files: [String] = []
        for entry in entries {
            let matches: [String]
            switch entry {
            case let .glob(pattern):
                matches = PathExpander.sortedMatches(of: pattern).filter(PathExpander.isRegularFile)
            case let .file(path):
                if let problem = PathExpander.problem(with: path) {
                    throw ConnectorError(connector: connector, problem, path: path)
                }
                matches = [path]
            }
            for file in matches where seen.insert(file).inserted { files.append(file) }
        }
        return files
    }
}

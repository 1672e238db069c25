import SluiceCore

/// The files of a file source: its `paths` entries, expanded when the connector is built
/// (so a mistake shows at start) and again each time tasks are planned, so a file that
/// appears later under a glob is read without a restart.
///
/// At planning time a glob that matches nothing adds no file (no tasks, no rows); a plain
/// path that has gone is a `ConnectorError` naming it and what is there instead.
public struct FileSet: Sendable, Hashable {
    /// The entries, resolved against the config folder: plain paths and glob patterns.
    public let entries: [String]
    let connector: String

    /// A fixed list of plain paths (no globs are expanded).
    public init(files: [String], connector: String = "files") {
        entries = files.map { PathExpander.isPattern($0) ? PathExpander.escapingPattern($0) : $0 }
        self.connector = connector
    }

    init(resolvedEntries: [String], connector: String) {
        entries = resolvedEntries
        self.connector = connector
    }

    /// The files the entries name now, in entry order, without duplicates.
    public func expand() throws -> [String] {
        var seen = Set<String>()
        var files: [String] = []
        for entry in entries {
            let matches: [String]
            if PathExpander.isPattern(entry) {
                matches = PathExpander.sortedMatches(of: entry).filter(PathExpander.isRegularFile)
            } else {
                if let problem = PathExpander.problem(with: entry) {
                    throw ConnectorError(connector: connector, problem, path: entry)
                }
                matches = [entry]
            }
            for file in matches where seen.insert(file).inserted { files.append(file) }
        }
        return files
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// Checks the `paths` option of a file source when the connector is built, so mistakes show
/// at config time, and gives the `FileSet` that expands it again when tasks are planned.
///
/// A pattern with `*`, `?` or `[` is a POSIX glob: its matches are sorted and must include at
/// least one regular file (directories are skipped). Any other entry is a plain path that must
/// name an existing regular file; an error says what is there instead (a folder, a device).
/// Entries resolve against the config folder.
enum PathExpander {
    static func fileSet(_ entries: [String], options: ConnectorOptions, optionName: String = "paths",
                        connector: String) throws -> FileSet {
        guard !entries.isEmpty else { throw OptionError(path: "\(options.path).\(optionName)", "needs at least one path") }
        var resolvedEntries: [FileSet.Entry] = []
        for (index, entry) in entries.enumerated() {
            let errorPath = entries.count == 1 ? "\(options.path).\(optionName)" : "\(options.path).\(optionName)[\(index)]"
            let resolved = options.resolve(entry)
            if isPattern(resolved) {
                guard sortedMatches(of: resolved).contains(where: isRegularFile) else {
                    throw OptionError(path: errorPath, "no file matches '\(entry)'")
                }
                resolvedEntries.append(.glob(resolved))
            } else if let problem = problem(with: resolved) {
                throw OptionError(path: errorPath, "'\(entry)': \(problem)")
            } else {
                resolvedEntries.append(.file(resolved))
            }
        }
        return FileSet(entries: resolvedEntries, connector: connector)
    }

    /// Why `path` cannot be read as a file, or nil when it is a readable regular file.
    static func problem(with path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == EACCES ? "permission denied on a folder of the path" : "no such file"
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return access(path, R_OK) == 0 ? nil : "the file is not readable by this process"
        case S_IFDIR: return "is a folder, not a file (use a glob such as '\(path.hasSuffix("/") ? path : path + "/")*' for its files)"
        case S_IFIFO: return "is a named pipe, not a regular file"
        case S_IFSOCK: return "is a socket, not a regular file"
        case S_IFCHR, S_IFBLK: return "is a device, not a regular file"
        default: return "is not a regular file"
        }
    }

    static func isPattern(_ path: String) -> Bool {
        path.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The sorted matches of one pattern; none when nothing matches.
    static func sortedMatches(of pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { i in
            result.gl_pathv[i].map { String(cString: $0) }
        }.sorted()
    }
}

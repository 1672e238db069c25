#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// Turns the `paths` option of a file source into a fixed list of files, once, when the
/// connector is built (so mistakes show at config time and task indices stay stable).
///
/// A pattern with `*`, `?` or `[` is a POSIX glob: its matches are sorted and must include at
/// least one regular file (directories are skipped). Any other entry is a plain path that must
/// name an existing regular file. Entries resolve against the config folder; the result keeps
/// the order of the entries, without duplicates.
enum PathExpander {
    static func expand(_ entries: [String], options: ConnectorOptions, optionName: String = "paths") throws -> [String] {
        guard !entries.isEmpty else { throw OptionError(path: "\(options.path).\(optionName)", "needs at least one path") }
        var seen = Set<String>()
        var files: [String] = []
        for (index, entry) in entries.enumerated() {
            let errorPath = entries.count == 1 ? "\(options.path).\(optionName)" : "\(options.path).\(optionName)[\(index)]"
            let resolved = options.resolve(entry)
            let matches: [String]
            if isPattern(resolved) {
                matches = sortedMatches(of: resolved).filter(isRegularFile)
                guard !matches.isEmpty else { throw OptionError(path: errorPath, "no file matches '\(entry)'") }
            } else {
                guard isRegularFile(resolved) else { throw OptionError(path: errorPath, "no such file '\(entry)'") }
                matches = [resolved]
            }
            for file in matches where seen.insert(file).inserted { files.append(file) }
        }
        return files
    }

    static func isPattern(_ path: String) -> Bool {
        path.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
    }

    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The sorted matches of one pattern; none when nothing matches.
    private static func sortedMatches(of pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        return (0..<Int(result.gl_pathc)).compactMap { i in
            result.gl_pathv[i].map { String(cString: $0) }
        }.sorted()
    }
}

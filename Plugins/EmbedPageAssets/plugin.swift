import Foundation
import PackagePlugin

/// Embeds the browser page (`Public/`) and the API's contract (`openapi.yaml`) in the
/// target's code at build time, so the built `sluice` binary serves them from any folder:
/// one file is the whole server. The generated source declares `EmbeddedPageAssets.files`.
@main
struct EmbedPageAssets: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) async throws -> [Command] {
        let root = context.package.directoryURL
        let publicFolder = root.appending(path: "Public")
        var inputs: [(name: String, url: URL)] = try Self.files(in: publicFolder).map { ($0, publicFolder.appending(path: $0)) }
        inputs.append(("openapi.yaml", root.appending(path: "openapi.yaml")))
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedPageAssets.swift")
        return [.buildCommand(
            displayName: "Embedding the page and openapi.yaml in \(target.name)",
            executable: try context.tool(named: "sluice-embed-assets").url,
            arguments: [output.path()] + inputs.map { "\($0.name)=\($0.url.path())" },
            inputFiles: inputs.map(\.url),
            outputFiles: [output]
        )]
    }

    /// The folder's regular files as relative paths, hidden ones left out, sorted.
    static func files(in folder: URL) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey],
                                                              options: [.skipsHiddenFiles]) else { return [] }
        let prefix = folder.standardizedFileURL.path().hasSuffix("/") ? folder.standardizedFileURL.path() : folder.standardizedFileURL.path() + "/"
        var names: [String] = []
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            let path = url.standardizedFileURL.path()
            names.append(path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : url.lastPathComponent)
        }
        return names.sorted()
    }
}

import Foundation
import HTTPServer

/// Where the browser page's files come from.
///
/// The default is the copy built into the binary (`Plugins/EmbedPageAssets` embeds `Public/`
/// and `openapi.yaml` at build time), so the server works from any folder. A folder
/// (`--public-dir`) is for developing the page: its files are read on each request, so an
/// edit shows on reload; only `index.html` is read once, at start.
public enum PageFiles: Sendable {
    case embedded
    case folder(String)
    /// No page at all (`/` is 404).
    case none

    /// The embedded files by relative path, decoded once.
    static let embeddedFiles: [String: [UInt8]] = Dictionary(
        EmbeddedPageAssets.files.map { ($0.path, [UInt8](Data(base64Encoded: $0.base64) ?? Data())) },
        uniquingKeysWith: { first, _ in first })

    /// The OpenAPI document built into the binary.
    static var embeddedOpenAPI: [UInt8]? { embeddedFiles[embeddedOpenAPIPath] }
    static let embeddedOpenAPIPath = "openapi.yaml"

    /// The page template (`index.html`), or nil.
    var indexTemplate: String? {
        switch self {
        case .embedded: Self.embeddedFiles["index.html"].map { String(decoding: $0, as: UTF8.self) }
        case .folder(let folder): try? String(contentsOfFile: folder + "/index.html", encoding: .utf8)
        case .none: nil
        }
    }

    /// The page's other files (relative paths), hidden files left out, sorted.
    var assetPaths: [String] {
        switch self {
        case .embedded:
            return Self.embeddedFiles.keys.filter { $0 != "index.html" && $0 != Self.embeddedOpenAPIPath }.sorted()
        case .folder(let folder):
            let enumerator = FileManager.default.enumerator(atPath: folder)
            var paths: [String] = []
            while let path = enumerator?.nextObject() as? String {
                var isDirectory: ObjCBool = false
                guard path != "index.html", !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                      FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory),
                      !isDirectory.boolValue else { continue }
                paths.append(path)
            }
            return paths.sorted()
        case .none:
            return []
        }
    }

    /// A handler for the asset at `path` (one of `assetPaths`).
    func handler(for path: String) -> HTTPStreamingHandler {
        switch self {
        case .folder(let folder):
            let files = StaticFiles(root: folder)
            return { request, writer in try await files.serve(relativePath: path, request: request, writer: writer) }
        case .embedded, .none:
            let file = InMemoryFile(path: path, bytes: Self.embeddedFiles[path] ?? [])
            return { request, writer in try await writer.send(file.response(to: request)) }
        }
    }
}

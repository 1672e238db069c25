import Foundation
import HTTPServer

/// The browser page: `Public/index.html` with the connector list rendered into it on the
/// server (at the `<!--SLUICE:CONNECTORS-->` marker), so the listing works without
/// JavaScript; the page's script then enhances it.
struct PageRenderer: Sendable {
    static let marker = "<!--SLUICE:CONNECTORS-->"
    let publicDirectory: String
    let catalog: Catalog
    /// The server checks tokens: the page lists nothing until the script has a token.
    var requiresToken = false

    /// The rendered page, or nil when the folder has no index.html.
    func render() -> [UInt8]? {
        guard let template = try? String(contentsOfFile: publicDirectory + "/index.html", encoding: .utf8) else { return nil }
        return Array(template.replacingOccurrences(of: Self.marker, with: connectorList).utf8)
    }

    /// The folder's files (relative paths), hidden files left out.
    var assetPaths: [String] {
        let enumerator = FileManager.default.enumerator(atPath: publicDirectory)
        var paths: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard !path.split(separator: "/").contains(where: { $0.hasPrefix(".") }),
                  FileManager.default.fileExists(atPath: publicDirectory + "/" + path, isDirectory: &isDirectory),
                  !isDirectory.boolValue else { continue }
            paths.append(path)
        }
        return paths.sorted()
    }

    var connectorList: String {
        var html = "<ul class=\"connector-list\" id=\"server-connectors\">\n"
        if requiresToken {
            return html + "</ul>\n<p class=\"auth-required\" id=\"auth-required\">This server needs an access token to list its connectors.</p>"
        }
        for entry in catalog.entries {
            let name = Self.escape(entry.name)
            html += "<li data-name=\"\(name)\" data-kind=\"\(entry.kind.rawValue)\">"
            html += "<a href=\"/v1/connectors/\(name)\">\(name)</a> "
            html += "<span class=\"kind kind-\(entry.kind.rawValue)\">\(entry.kind.rawValue)</span> "
            html += "<span class=\"type\">\(Self.escape(entry.type))</span> "
            html += "<span class=\"description\">\(Self.escape(entry.description))</span></li>\n"
        }
        return html + "</ul>"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }
}

extension SluiceAPI {
    /// `GET /` (the page) and the other files of `Public/` at `/<file>`.
    func registerPageRoutes(on router: Router) {
        guard let page else { return }
        let rendered = page.render()
        route(router, .GET, "/", access: .open) { _, _ in
            guard let rendered else { throw APIError.notFound("no index.html in the public folder") }
            return HTTPResponse(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache"],
                                body: rendered, compressible: true)
        }
        // One literal route per file of the folder (read at start-up), so that no catch-all
        // route shadows the API's paths in 404/405/OPTIONS answers.
        let files = StaticFiles(root: page.publicDirectory)
        for file in page.assetPaths where file != "index.html" {
            router.get("/" + file) { request, writer in
                try await files.serve(relativePath: file, request: request, writer: writer)
            }
        }
    }
}

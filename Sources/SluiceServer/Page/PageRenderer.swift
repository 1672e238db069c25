import Foundation
import HTTPServer
import SluiceCore

/// The browser page: `index.html` with the connector list rendered into it on the
/// server (at the `<!--SLUICE:CONNECTORS-->` marker), so the listing works without
/// JavaScript; the page's script then enhances it.
struct PageRenderer: Sendable {
    static let marker = "<!--SLUICE:CONNECTORS-->"
    let files: PageFiles
    let catalog: Catalog
    /// The server checks tokens: the page lists nothing until the script has a token.
    var requiresToken = false

    /// The rendered page, or nil when there is no index.html.
    func render() -> [UInt8]? {
        files.indexTemplate.map { Array($0.replacingOccurrences(of: Self.marker, with: connectorList).utf8) }
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
    /// `GET /` (the page) and the page's other files (`Public/`) at `/<file>`.
    func registerPageRoutes(on router: Router) {
        guard let page else { return }
        let rendered = page.render()
        route(router, .GET, "/", access: .open) { _, _ in
            guard let rendered else { throw APIError.notFound("this server has no page (no index.html)") }
            return HTTPResponse(status: .ok, headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache"],
                                body: rendered, compressible: true)
        }
        // One literal route per file (listed at start-up), so that no catch-all route
        // shadows the API's paths in 404/405/OPTIONS answers.
        for path in page.files.assetPaths {
            router.get("/" + path, page.files.handler(for: path))
        }
    }
}

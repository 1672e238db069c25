/// Content types of static files by extension.
enum MediaTypes {
    static func contentType(forPath path: String) -> String {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return "application/octet-stream" }
        switch path[path.index(after: dot)...].lowercased() {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "ndjson": return "application/x-ndjson"
        case "yaml", "yml": return "application/yaml"
        case "txt", "text", "md": return "text/plain; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        case "xml": return "application/xml"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "ico": return "image/x-icon"
        case "wasm": return "application/wasm"
        case "woff2": return "font/woff2"
        case "pdf": return "application/pdf"
        case "gz": return "application/gzip"
        default: return "application/octet-stream"
        }
    }

    /// Text types worth gzip-compressing.
    static func isCompressible(_ contentType: String) -> Bool {
        contentType.hasPrefix("text/") || contentType.hasPrefix("application/json") || contentType.hasPrefix("application/x-ndjson")
            || contentType.hasPrefix("application/yaml") || contentType.hasPrefix("image/svg") || contentType.hasPrefix("application/xml")
    }
}

/// One file served from memory (built into the binary, or read once at start): its content
/// type by extension, an `ETag` from its content (stable across restarts and builds of the
/// same bytes), and 304 for a matching `If-None-Match`.
///
/// ```swift
/// let page = InMemoryFile(path: "style.css", bytes: css)
/// router.get("/style.css") { request, _ in page.response(to: request) }
/// ```
public struct InMemoryFile: Sendable {
    public let path: String
    public let bytes: [UInt8]
    public let contentType: String
    public let etag: String

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
        contentType = MediaTypes.contentType(forPath: path)
        etag = "\"" + String(Self.fnv1a(bytes), radix: 16) + "-" + String(bytes.count, radix: 16) + "\""
    }

    /// The file, or 304 when the client already holds this version.
    public func response(to request: HTTPRequest) -> HTTPResponse {
        var headers: HTTPHeaders = ["ETag": etag, "Cache-Control": "no-cache"]
        if StaticFiles.notModified(request.headers, etag: etag, lastModified: nil) {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        headers["Content-Type"] = contentType
        return HTTPResponse(status: .ok, headers: headers, body: bytes, compressible: MediaTypes.isCompressible(contentType))
    }

    /// FNV-1a, 64 bits: a version tag, not a security check.
    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return hash
    }
}

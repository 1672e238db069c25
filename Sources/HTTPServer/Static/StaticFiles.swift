#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves the files of one folder: content types by extension, `ETag` and `Last-Modified`
/// with `If-None-Match`/`If-Modified-Since` → 304, `index.html` for directories.
///
/// Anything that would leave the folder is a 404, never a 403 that confirms existence:
/// `..` or `.` segments (also percent-encoded, as the router decodes the path parameter
/// first), NUL bytes, and symlinks whose real path lies outside the folder.
///
/// ```swift
/// let files = StaticFiles(root: "Public")
/// router.get("/static/{path*}", files.handler(pathParameter: "path"))
/// ```
public struct StaticFiles: Sendable {
    /// The folder's real path (symlinks resolved).
    public let root: String
    public let indexFile: String
    static let readSize = 256 * 1024

    public init(root: String, indexFile: String = "index.html") {
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        self.root = realpath(root, &resolved) != nil ? Self.string(resolved) : root
        self.indexFile = indexFile
    }

    /// A streaming handler serving the file named by the route's `{pathParameter*}`.
    public func handler(pathParameter: String = "path") -> HTTPStreamingHandler {
        { request, writer in
            try await serve(relativePath: request.parameter(pathParameter) ?? "", request: request, writer: writer)
        }
    }

    public func serve(relativePath: String, request: HTTPRequest, writer: HTTPResponseWriter) async throws {
        guard let file = resolve(relativePath) else {
            throw HTTPError(.notFound, detail: "no file \(relativePath.isEmpty ? "/" : relativePath)")
        }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HTTPError(.notFound, detail: "no file \(relativePath)") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw HTTPError(.notFound, detail: "no file \(relativePath)") }

        let etag = "\"\(String(info.st_size, radix: 16))-\(String(info.st_mtim.tv_sec, radix: 16))\(String(info.st_mtim.tv_nsec, radix: 16))\""
        let lastModified = DateHeaderCache.format(info.st_mtim.tv_sec)
        let contentType = MediaTypes.contentType(forPath: file.path)
        var headers: HTTPHeaders = ["ETag": etag, "Last-Modified": lastModified, "Cache-Control": "no-cache"]
        if Self.notModified(request.headers, etag: etag, lastModified: lastModified) {
            return try await writer.send(HTTPResponse(status: .notModified, headers: headers))
        }
        headers["Content-Type"] = contentType
        headers["Content-Length"] = String(info.st_size)
        try await writer.start(status: .ok, headers: headers)
        if request.method == .HEAD { return try await writer.finish() }
        var remaining = Int(info.st_size)
        var buffer = [UInt8](repeating: 0, count: min(Self.readSize, max(remaining, 1)))
        while remaining > 0 {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, remaining)) }
            guard n > 0 else {
                writer.abort()
                return
            }
            try await writer.write(n == buffer.count ? buffer : Array(buffer[0..<n]))
            remaining -= n
        }
        try await writer.finish()
    }

    /// The real path of a regular file inside `root`, or nil.
    func resolve(_ relativePath: String) -> (path: String, size: Int)? {
        guard !relativePath.utf8.contains(0) else { return nil }
        let segments = relativePath.split(separator: "/", omittingEmptySubsequences: true)
        guard !segments.contains(where: { $0 == ".." || $0 == "." || $0.contains("\\") }) else { return nil }
        var candidate = segments.isEmpty ? root : root + "/" + segments.joined(separator: "/")
        var resolved = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        for _ in 0..<2 {
            guard realpath(candidate, &resolved) != nil else { return nil }
            let real = Self.string(resolved)
            guard real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/") else { return nil }
            var info = stat()
            guard stat(real, &info) == 0 else { return nil }
            if info.st_mode & S_IFMT == S_IFDIR {
                candidate = real + "/" + indexFile
                continue
            }
            return info.st_mode & S_IFMT == S_IFREG ? (real, Int(info.st_size)) : nil
        }
        return nil
    }

    /// A NUL-terminated C string buffer as a String.
    static func string(_ buffer: [CChar]) -> String {
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `If-None-Match` wins over `If-Modified-Since` (RFC 9110, 13.2.2).
    static func notModified(_ headers: HTTPHeaders, etag: String, lastModified: String?) -> Bool {
        if let ifNoneMatch = headers["If-None-Match"] {
            return ifNoneMatch.split(separator: ",").contains { tag in
                let tag = tag.trimmingASCIIWhitespace()
                return tag == "*" || tag == etag || tag == "W/" + etag
            }
        }
        return lastModified != nil && headers["If-Modified-Since"] == lastModified
    }
}

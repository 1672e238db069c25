import Foundation
import Testing
@testable import HTTPServer

@Suite struct StaticFilesTests {
    /// A folder `site/` with files, a subfolder with index.html, and symlinks in and out;
    /// `secret.txt` sits beside it.
    static func makeSite() throws -> (root: URL, site: URL) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-static-\(UUID().uuidString)")
        let site = root.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try "body { color: red }".write(to: site.appendingPathComponent("style.css"), atomically: true, encoding: .utf8)
        try "<h1>docs</h1>".write(to: site.appendingPathComponent("docs/index.html"), atomically: true, encoding: .utf8)
        try "top secret".write(to: root.appendingPathComponent("secret.txt"), atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("escape.txt").path, withDestinationPath: root.appendingPathComponent("secret.txt").path)
        try FileManager.default.createSymbolicLink(atPath: site.appendingPathComponent("inside.css").path, withDestinationPath: site.appendingPathComponent("style.css").path)
        return (root, site)
    }

    static func serve(_ site: URL) throws -> HTTPServer {
        let router = Router()
        router.get("/files/{path*}", StaticFiles(root: site.path).handler(pathParameter: "path"))
        return try startServer(router)
    }

    @Test func servesFilesWithTypesAndIndex() async throws {
        let (root, site) = try Self.makeSite()
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try Self.serve(site)
        let css = try await exchange(server.port, "GET /files/style.css HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(css.status == 200)
        #expect(css.header("Content-Type") == "text/css; charset=utf-8")
        #expect(css.text == "body { color: red }")
        #expect(css.header("ETag") != nil)
        #expect(css.header("Last-Modified")?.hasSuffix("GMT") == true)
        let index = try await exchange(server.port, "GET /files/docs/ HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(index.text == "<h1>docs</h1>")
        #expect(index.header("Content-Type") == "text/html; charset=utf-8")
        let link = try await exchange(server.port, "GET /files/inside.css HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(link.status == 200)
        let head = try await exchange(server.port, "HEAD /files/style.css HTTP/1.1\r\nHost: x\r\n\r\n", bodyless: true)
        #expect(head.header("Content-Length") == "19")
        await server.shutdown()
    }

    @Test func notModifiedOnETagAndDate() async throws {
        let (root, site) = try Self.makeSite()
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try Self.serve(site)
        let first = try await exchange(server.port, "GET /files/style.css HTTP/1.1\r\nHost: x\r\n\r\n")
        let etag = try #require(first.header("ETag"))
        let byTag = try await exchange(server.port, "GET /files/style.css HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\", \(etag)\r\n\r\n")
        #expect(byTag.status == 304)
        #expect(byTag.body.isEmpty)
        let byDate = try await exchange(server.port, "GET /files/style.css HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: \(first.header("Last-Modified")!)\r\n\r\n")
        #expect(byDate.status == 304)
        let changed = try await exchange(server.port, "GET /files/style.css HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"other\"\r\n\r\n")
        #expect(changed.status == 200)
        await server.shutdown()
    }

    @Test(arguments: [
        "/files/../secret.txt",
        "/files/%2e%2e/secret.txt",
        "/files/%2E%2E%2Fsecret.txt",
        "/files/docs/..%2F..%2Fsecret.txt",
        "/files/escape.txt",
        "/files/missing.txt",
        "/files/style.css%00.txt",
        "/files/./style.css",
    ])
    func traversalAttemptsAre404(path: String) async throws {
        let (root, site) = try Self.makeSite()
        defer { try? FileManager.default.removeItem(at: root) }
        let server = try Self.serve(site)
        let response = try await exchange(server.port, "GET \(path) HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.status == 404, "\(path)")
        #expect(!response.text.contains("top secret"))
        await server.shutdown()
    }
}

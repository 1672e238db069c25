import Foundation
import Testing
import SluiceServer

/// The browser page and the spec: built into the binary by default (so the server works
/// from any folder), or served from a folder given for page development.
@Suite struct PageRendererTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test(arguments: [PageFiles.embedded, .folder(packageRoot + "/Public")])
    func pageListsTheConnectorsServerSide(files: PageFiles) async throws {
        try await TestServer.run(configure: { $0.page = files }) { server in
            let page = try await server.client.get("/")
            #expect(page.status == 200)
            #expect(page.header("Content-Type")?.hasPrefix("text/html") == true)
            for name in ["alice", "numbers", "users", "discard", "flaky"] {
                #expect(page.text.contains(#"<a href="/v1/connectors/\#(name)">\#(name)</a>"#), "\(name) not listed")
            }
            // Assets are served; API paths still answer as the API.
            let css = try await server.client.get("/style.css")
            #expect(css.status == 200 && css.header("Content-Type")?.hasPrefix("text/css") == true)
            try expectProblem(try await server.client.get("/v1/connectors/nope"), status: 404, slug: "not-found")
        }
    }

    @Test func theBuiltInPageIsTheRepositorysPublicFolder() async throws {
        try await TestServer.run(configure: { $0.page = .embedded }) { server in
            for file in ["app.js", "style.css", "favicon.svg"] {
                let expected = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.packageRoot + "/Public/" + file)))
                let response = try await server.client.get("/" + file)
                #expect(response.status == 200, "\(file)")
                #expect(response.body == expected, "\(file) differs from Public/\(file)")
                let etag = try #require(response.header("ETag"))
                let again = try await server.client.get("/" + file, headers: [("If-None-Match", etag)])
                #expect(again.status == 304 && again.body.isEmpty)
            }
        }
    }

    @Test func aPageFolderIsReadOnEachRequest() async throws {
        let folder = try TemporaryDirectory("sluice-page")
        defer { folder.remove() }
        _ = try folder.write("index.html", "<h1>dev</h1><!--SLUICE:CONNECTORS-->")
        _ = try folder.write("extra.css", "a{}")
        try await TestServer.run(configure: { $0.page = .folder(folder.path) }) { server in
            #expect(try await server.client.get("/").text.contains("<h1>dev</h1>"))
            #expect(try await server.client.get("/extra.css").text == "a{}")
            _ = try folder.write("extra.css", "b{}")
            #expect(try await server.client.get("/extra.css").text == "b{}")
            #expect(try await server.client.get("/app.js").status == 404)
        }
    }

    @Test func theRepositorysSpecIsServedByDefault() async throws {
        let spec = try String(contentsOfFile: Self.packageRoot + "/openapi.yaml", encoding: .utf8)
        try await TestServer.run { server in
            let response = try await server.client.get("/openapi.yaml")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/yaml")
            #expect(response.text == spec)
            #expect(spec.hasPrefix("openapi: 3.1"))
        }
    }
}

import Foundation
import Testing

/// The browser page and the spec, served from the repository's `Public/` folder and the
/// `openapi.yaml` beside it (the default when no spec file is given).
@Suite struct PageRendererTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    @Test func pageListsTheConnectorsServerSide() async throws {
        try await TestServer.run(configure: { $0.publicDirectory = Self.packageRoot + "/Public" }) { server in
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

    @Test func theRepositorysSpecIsServedByDefault() async throws {
        let spec = try String(contentsOfFile: Self.packageRoot + "/openapi.yaml", encoding: .utf8)
        try await TestServer.run(configure: { $0.publicDirectory = Self.packageRoot + "/Public" }) { server in
            let response = try await server.client.get("/openapi.yaml")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/yaml")
            #expect(response.text == spec)
            #expect(spec.hasPrefix("openapi: 3.1"))
        }
    }
}

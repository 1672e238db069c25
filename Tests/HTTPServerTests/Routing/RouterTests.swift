import Testing
@testable import HTTPServer

@Suite struct RouterTests {
    static func handlerText(_ resolution: Router.Resolution) -> String {
        switch resolution {
        case .matched(_, let parameters, _): return "matched \(parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))"
        case .notFound: return "404"
        case .methodNotAllowed(let allow): return "405 \(allow.joined(separator: ","))"
        case .options(let allow): return "options \(allow.joined(separator: ","))"
        }
    }

    static let router: Router = {
        let router = Router()
        router.get("/v1/connectors") { _ in HTTPResponse() }
        router.get("/v1/sources/{name}/rows") { _ in HTTPResponse() }
        router.get("/v1/sources/{name}/tasks/{task}/rows") { _ in HTTPResponse() }
        router.post("/v1/sinks/{name}/writes") { _ in HTTPResponse() }
        router.get("/static/{path*}") { _ in HTTPResponse() }
        return router
    }()

    @Test(arguments: [
        ("GET", "/v1/connectors", "matched "),
        ("GET", "/v1/sources/numbers/rows", "matched name=numbers"),
        ("GET", "/v1/sources/my%20src/tasks/3/rows", "matched name=my src,task=3"),
        ("HEAD", "/v1/sources/a/rows", "matched name=a"),
        ("GET", "/static/css/site.css", "matched path=css/site.css"),
        ("GET", "/static/", "matched path="),
        ("GET", "/static/%2e%2e/secret", "matched path=../secret"),
        ("GET", "/v1/sources//rows", "404"),
        ("GET", "/v1/sources/a/rows/extra", "404"),
        ("GET", "/nothing", "404"),
        ("GET", "/v1/sources/%zz/rows", "404"),
        ("DELETE", "/v1/connectors", "405 GET,HEAD,OPTIONS"),
        ("GET", "/v1/sinks/s/writes", "405 POST,OPTIONS"),
        ("OPTIONS", "/v1/sinks/s/writes", "options POST,OPTIONS"),
    ])
    func resolves(method: String, path: String, expected: String) {
        #expect(Self.handlerText(Self.router.resolve(method: HTTPMethod(method), path: Substring(path))) == expected)
    }

    @Test func methodNotAllowedOverSocketHasAllow() async throws {
        let server = try startServer(testRouter())
        let response = try await exchange(server.port, "DELETE /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD, OPTIONS")
        let options = try await exchange(server.port, "OPTIONS /hello HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(options.status == 204)
        #expect(options.header("Allow") == "GET, HEAD, OPTIONS")
        await server.shutdown()
    }

    @Test func queryParametersAreDecodedAndRepeatable() async throws {
        let router = Router()
        router.get("/q") { request in
            .text("\(request.query("limit") ?? "-")|\(request.queryValues("col").joined(separator: ","))|\(request.query("where") ?? "-")|\(request.query("flag") ?? "nil")")
        }
        let server = try startServer(router)
        let response = try await exchange(server.port, "GET /q?limit=10&col=a&col=b%20c&where=x+%3E+1&flag HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(response.text == "10|a,b c|x > 1|")
        await server.shutdown()
    }

    @Test func absoluteFormTargetsRouteByPath() async throws {
        let server = try startServer(testRouter())
        let response = try await exchange(server.port, "GET http://example.com/items/7?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")
        #expect(response.text == "item 7")
        await server.shutdown()
    }
}

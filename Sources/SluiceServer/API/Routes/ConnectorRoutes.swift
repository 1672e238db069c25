import HTTPServer

extension SluiceAPI {
    /// `GET /v1/connectors` and `GET /v1/connectors/{name}`: documents encoded once at
    /// start-up and answered synchronously on the I/O queue (the small-JSON fast path). Each
    /// connector's path is a literal route (one dictionary lookup, no pattern matching); the
    /// `{name}` pattern answers the names that do not exist.
    func registerConnectorRoutes(on router: Router) {
        let list = connectorListDocument
        route(router, .GET, "/v1/connectors") { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: list, compressible: true)
        }
        for (name, body) in connectorDocuments {
            route(router, .GET, "/v1/connectors/\(name)", label: "/v1/connectors/{name}") { _ in
                HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: body, compressible: true)
            }
        }
        route(router, .GET, "/v1/connectors/{name}") { request in
            let name = request.parameter("name") ?? ""
            throw APIError.notFound("no connector named '\(name)' (GET /v1/connectors lists them)",
                                    extra: [("connector", .string(name))])
        }
    }
}

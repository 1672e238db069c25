import HTTPServer

extension SluiceAPI {
    /// `GET /v1/connectors` and `GET /v1/connectors/{name}`: documents encoded once at
    /// start-up and answered synchronously on the I/O queue (the small-JSON fast path).
    func registerConnectorRoutes(on router: Router) {
        let list = connectorListDocument
        route(router, .GET, "/v1/connectors") { _ in
            HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: list, compressible: true)
        }
        let documents = connectorDocuments
        route(router, .GET, "/v1/connectors/{name}") { request in
            let name = request.parameter("name") ?? ""
            guard let body = documents[name] else {
                throw APIError.notFound("no connector named '\(name)' (GET /v1/connectors lists them)",
                                        extra: [("connector", .string(name))])
            }
            return HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: body, compressible: true)
        }
    }
}

import HTTPServer

extension SluiceAPI {
    /// `GET /v1/connectors` and `GET /v1/connectors/{name}`: documents encoded once at
    /// start-up and answered synchronously on the I/O queue (the small-JSON fast path).
    func registerConnectorRoutes(on router: Router) {
        let list = connectorListDocument
        router.get("/v1/connectors") { [metrics] _ in
            metrics.request(route: "/v1/connectors", status: 200)
            return HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: list, compressible: true)
        }
        let documents = connectorDocuments
        router.get("/v1/connectors/{name}") { [metrics] request in
            let name = request.parameter("name") ?? ""
            guard let body = documents[name] else {
                metrics.request(route: "/v1/connectors/{name}", status: 404)
                return APIError.notFound("no connector named '\(name)' (GET /v1/connectors lists them)",
                                         extra: [("connector", .string(name))]).response
            }
            metrics.request(route: "/v1/connectors/{name}", status: 200)
            return HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: body, compressible: true)
        }
    }
}

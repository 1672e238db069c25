import HTTPServer

extension SluiceAPI {
    /// `GET /v1/connectors` and `GET /v1/connectors/{name}`: documents encoded once at
    /// start-up and answered synchronously on the I/O queue (the small-JSON fast path). Each
    /// connector's path is a literal route (one dictionary lookup, no pattern matching); the
    /// `{name}` pattern answers the names that do not exist. With tokens, the listing shows
    /// only what the token may use (one document per token, encoded at start-up too), and a
    /// connector's document needs its `read:`/`write:` scope.
    func registerConnectorRoutes(on router: Router) {
        let (list, listByToken) = (connectorListDocument, connectorListByToken)
        route(router, .GET, "/v1/connectors", access: .anyToken) { _, principal in
            let body = principal.token.flatMap { listByToken[$0.name] } ?? list
            return HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: body, compressible: true)
        }
        for (name, body) in connectorDocuments {
            guard let kind = catalog[name]?.kind else { continue }
            route(router, .GET, "/v1/connectors/\(name)", label: "/v1/connectors/{name}", access: .namedConnector(kind, name)) { _, _ in
                HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: body, compressible: true)
            }
        }
        route(router, .GET, "/v1/connectors/{name}", access: .anyToken) { request, _ in
            let name = request.parameter("name") ?? ""
            throw APIError.notFound("no connector named '\(name)' (GET /v1/connectors lists them)",
                                    extra: [("connector", .string(name))])
        }
    }
}

/// Maps method + path to a handler. Literal paths are found by one dictionary lookup;
/// patterns with parameters are tried in the order they were added.
///
/// Answers the engine gives by itself: 404 when no pattern matches the path, 405 with
/// `Allow` when patterns match but not for this method, HEAD through the GET handler (body
/// suppressed, headers kept), and OPTIONS with `Allow` unless a route handles it.
/// Configure before `HTTPServer.start()`; the router is read-only afterwards.
public final class Router: @unchecked Sendable {
    // `@unchecked Sendable` guard: routes are added before the server starts; afterwards the router is only read.
    struct Route {
        let method: HTTPMethod
        let pattern: PathPattern
        let handler: HTTPHandler
        let bodyLimit: BodyLimit?
    }

    /// What a request resolved to.
    enum Resolution {
        case matched(handler: HTTPHandler, parameters: [String: String], bodyLimit: BodyLimit?)
        case notFound
        case methodNotAllowed(allow: [String])
        case options(allow: [String])
    }

    private var literalRoutes: [Substring: [Route]] = [:]
    private var patternRoutes: [Route] = []

    public init() {}

    public func on(_ method: HTTPMethod, _ pattern: String, bodyLimit: BodyLimit? = nil, _ handler: @escaping HTTPSyncHandler) {
        add(Route(method: method, pattern: PathPattern(pattern), handler: .sync(handler), bodyLimit: bodyLimit))
    }

    public func on(_ method: HTTPMethod, _ pattern: String, bodyLimit: BodyLimit? = nil, _ handler: @escaping HTTPStreamingHandler) {
        add(Route(method: method, pattern: PathPattern(pattern), handler: .streaming(handler), bodyLimit: bodyLimit))
    }

    public func get(_ pattern: String, _ handler: @escaping HTTPSyncHandler) { on(.GET, pattern, handler) }
    public func get(_ pattern: String, _ handler: @escaping HTTPStreamingHandler) { on(.GET, pattern, handler) }
    public func post(_ pattern: String, bodyLimit: BodyLimit? = nil, _ handler: @escaping HTTPSyncHandler) { on(.POST, pattern, bodyLimit: bodyLimit, handler) }
    public func post(_ pattern: String, bodyLimit: BodyLimit? = nil, _ handler: @escaping HTTPStreamingHandler) { on(.POST, pattern, bodyLimit: bodyLimit, handler) }
    public func put(_ pattern: String, bodyLimit: BodyLimit? = nil, _ handler: @escaping HTTPStreamingHandler) { on(.PUT, pattern, bodyLimit: bodyLimit, handler) }
    public func delete(_ pattern: String, _ handler: @escaping HTTPSyncHandler) { on(.DELETE, pattern, handler) }
    public func delete(_ pattern: String, _ handler: @escaping HTTPStreamingHandler) { on(.DELETE, pattern, handler) }

    private func add(_ route: Route) {
        if route.pattern.isLiteral {
            literalRoutes[Substring(route.pattern.description), default: []].append(route)
        } else {
            patternRoutes.append(route)
        }
    }

    func resolve(method: HTTPMethod, path rawPath: Substring) -> Resolution {
        // Literal routes are keyed by their decoded text; most paths have no escapes.
        let path = rawPath.utf8.contains(UInt8(ascii: "%")) ? PercentDecoding.decode(rawPath).map { Substring($0) } ?? rawPath : rawPath
        if let routes = literalRoutes[path], let index = Self.pick(method, in: routes) {
            return .matched(handler: routes[index].handler, parameters: [:], bodyLimit: routes[index].bodyLimit)
        }
        let segments = PathPattern.split(rawPath)
        var candidates = literalRoutes[path] ?? []
        var parametersByRoute: [[String: String]] = Array(repeating: [:], count: candidates.count)
        for route in patternRoutes {
            if let parameters = route.pattern.match(segments) {
                candidates.append(route)
                parametersByRoute.append(parameters)
            }
        }
        guard !candidates.isEmpty else { return .notFound }
        if let index = Self.pick(method, in: candidates) {
            return .matched(handler: candidates[index].handler, parameters: parametersByRoute[index], bodyLimit: candidates[index].bodyLimit)
        }
        var allow: [String] = []
        for route in candidates where !allow.contains(route.method.rawValue) { allow.append(route.method.rawValue) }
        if allow.contains("GET"), !allow.contains("HEAD") { allow.append("HEAD") }
        if !allow.contains("OPTIONS") { allow.append("OPTIONS") }
        return method == .OPTIONS ? .options(allow: allow) : .methodNotAllowed(allow: allow)
    }

    /// The route for `method`, or for HEAD the GET route when no HEAD route exists.
    private static func pick(_ method: HTTPMethod, in routes: [Route]) -> Int? {
        if let exact = routes.firstIndex(where: { $0.method == method }) { return exact }
        if method == .HEAD { return routes.firstIndex { $0.method == .GET } }
        return nil
    }
}

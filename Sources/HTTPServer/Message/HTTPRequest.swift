/// A request as handlers see it. The head is parsed and immutable; the body is pulled
/// through `body` (async handlers only: synchronous handlers run before any body is read,
/// and the engine discards a body they did not need).
public struct HTTPRequest: Sendable {
    public let method: HTTPMethod
    /// The request target as received (`/v1/x?limit=10`).
    public let target: String
    /// The path part of the target, still percent-encoded.
    public let path: Substring
    /// The query part after `?`, still encoded (nil without `?`).
    public let queryString: Substring?
    public let version: HTTPVersion
    public let headers: HTTPHeaders
    /// The peer as `1.2.3.4:5678` or `[::1]:5678`.
    public let remoteAddress: String
    /// `{name}` segments of the matched route pattern, percent-decoded.
    public internal(set) var pathParameters: [String: String]
    public let body: HTTPRequestBody

    init(head: RequestHead, remoteAddress: String, body: HTTPRequestBody) {
        method = head.method
        target = head.target
        version = head.version
        headers = head.headers
        self.remoteAddress = remoteAddress
        self.body = body
        pathParameters = [:]
        // Byte-level scans (a Character walk costs grapheme breaking on every request).
        var pathPart = Substring(head.target)
        if pathPart.utf8.first != UInt8(ascii: "/"), let schemeEnd = pathPart.firstRange(of: "://") {
            // absolute-form (RFC 9112 §3.2.2): keep only the path and query.
            let afterAuthority = pathPart[schemeEnd.upperBound...].utf8.firstIndex(of: UInt8(ascii: "/")) ?? pathPart.endIndex
            pathPart = afterAuthority == pathPart.endIndex ? "/" : pathPart[afterAuthority...]
        }
        if let question = pathPart.utf8.firstIndex(of: UInt8(ascii: "?")) {
            path = pathPart[..<question]
            queryString = pathPart[pathPart.utf8.index(after: question)...]
        } else {
            path = pathPart
            queryString = nil
        }
    }

    /// The same request with another body (the engine attaches the streaming body).
    init(copying other: HTTPRequest, body: HTTPRequestBody) {
        method = other.method
        target = other.target
        path = other.path
        queryString = other.queryString
        version = other.version
        headers = other.headers
        remoteAddress = other.remoteAddress
        pathParameters = other.pathParameters
        self.body = body
    }

    /// A path parameter of the matched route (`{name}` in the pattern).
    public func parameter(_ name: String) -> String? { pathParameters[name] }

    /// The first value of query parameter `name`, decoded (`+` is a space); nil if absent.
    public func query(_ name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }

    /// Every value of a repeated query parameter, in order.
    public func queryValues(_ name: String) -> [String] {
        queryItems.filter { $0.name == name }.map(\.value)
    }

    /// All query parameters, decoded, in order. A key without `=` has an empty value.
    public var queryItems: [(name: String, value: String)] {
        guard let queryString else { return [] }
        return queryString.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            if let equals = pair.firstIndex(of: "=") {
                return (PercentDecoding.decode(pair[..<equals], plusAsSpace: true) ?? String(pair[..<equals]),
                        PercentDecoding.decode(pair[pair.index(after: equals)...], plusAsSpace: true) ?? String(pair[pair.index(after: equals)...]))
            }
            return (PercentDecoding.decode(pair, plusAsSpace: true) ?? String(pair), "")
        }
    }

    /// The whole body (decompressed), 413 past `limit` bytes.
    public func collectBody(limit: Int) async throws -> [UInt8] {
        try await body.collect(limit: limit)
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceCore

/// The client side of Sluice's HTTP API: one AsyncHTTPClient with a connection pool sized for
/// the command's parallelism. Every non-2xx answer is thrown as a `ServerProblem`.
public final class ServerClient: Sendable {
    public let address: ServerAddress
    private let http: HTTPClient

    /// An answer read whole (the small JSON ones).
    public struct Answer: Sendable {
        public let status: Int
        public let headers: HTTPHeaders
        public let body: [UInt8]

        public func decode<T: Decodable>(_ type: T.Type) throws -> T {
            do { return try JSONDecoder().decode(type, from: Data(body)) } catch {
                throw ClientFailure("the server's answer is not what this client expects (\(error)): \(String(decoding: body.prefix(200), as: UTF8.self))")
            }
        }
    }

    /// `connections`: the most concurrent requests the command makes (its `--parallel`).
    public init(address: ServerAddress, connections: Int = 8) {
        self.address = address
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(120))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(connections, 2))
        // Our RetryPolicy decides (and tells the user); the pool's own retries would hide a restart.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// Sends a request and reads the whole answer (at most `limit` bytes).
    public func send(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [],
                     body: ByteBuffer? = nil, limit: Int = 64 << 20) async throws -> Answer {
        let response = try await start(method, path, headers: headers, body: body)
        let collected = try await response.body.collect(upTo: limit)
        return Answer(status: Int(response.status.code), headers: response.headers, body: Array(buffer: collected))
    }

    /// Sends a request and hands back the answer with its body still to read (row streams).
    public func start(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [],
                      body: ByteBuffer? = nil) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: address.url(path))
        request.method = method
        request.headers.add(name: "User-Agent", value: "sluice/\(SluiceVersion.current)")
        if let token = address.token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(body) }
        let response = try await http.execute(request, timeout: .hours(24))
        guard (200..<300).contains(response.status.code) else {
            let text = (try? await response.body.collect(upTo: 1 << 20)).map { Array(buffer: $0) } ?? []
            throw ServerProblem(status: Int(response.status.code), body: text,
                                retryAfter: RetryPolicy.retryAfter(response.headers.first(name: "Retry-After")))
        }
        return response
    }
}

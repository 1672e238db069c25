import Foundation

/// A deliberately small HTTP/1.1 client over a real loopback socket, for end-to-end tests:
/// one request per connection (`Connection: close`), the whole answer read until the server
/// closes, then parsed by `HTTPTestResponse` (Content-Length, chunked with trailers, or
/// until close), which reports whether the body's framing was complete.
///
/// The socket calls block, so they run on a thread of their own (`onOwnThread`).
struct TestHTTPClient: Sendable {
    let port: Int
    /// Hang guard only: a read that waits longer than this fails the request.
    var receiveTimeoutSeconds = 60

    func get(_ target: String, headers: [(String, String)] = []) async throws -> HTTPTestResponse {
        try await send("GET", target, headers: headers)
    }

    func post(_ target: String, body: [UInt8] = [], contentType: String? = nil,
              headers: [(String, String)] = []) async throws -> HTTPTestResponse {
        var all = headers
        if let contentType { all.append(("Content-Type", contentType)) }
        return try await send("POST", target, headers: all, body: body)
    }

    func post(_ target: String, text: String, contentType: String,
              headers: [(String, String)] = []) async throws -> HTTPTestResponse {
        try await post(target, body: Array(text.utf8), contentType: contentType, headers: headers)
    }

    func delete(_ target: String) async throws -> HTTPTestResponse {
        try await send("DELETE", target)
    }

    /// Sends one request with a Content-Length body and reads the whole answer.
    func send(_ method: String, _ target: String, headers: [(String, String)] = [],
              body: [UInt8] = []) async throws -> HTTPTestResponse {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        let request = Array(head.utf8) + body
        let raw = try await exchange(request)
        return try HTTPTestResponse(parsing: raw, requestMethod: method)
    }

    /// Writes `request` and returns every byte the server sent until it closed.
    func exchange(_ request: [UInt8]) async throws -> [UInt8] {
        let port = self.port, timeout = receiveTimeoutSeconds
        return try await onOwnThread {
            let socket = try LoopbackSocket(port: port, timeoutSeconds: timeout)
            defer { socket.close() }
            // The server may answer (413, 415, ...) before reading the whole body: the
            // answer is read whether or not every byte went out.
            socket.send(request)
            return try socket.readToEnd()
        }
    }
}

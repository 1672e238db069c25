#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
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

    struct ClientError: Error, CustomStringConvertible {
        let description: String
    }

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
        return try await onOwnThread { try Self.blockingExchange(request, port: port, timeout: timeout) }
    }

    private static func blockingExchange(_ request: [UInt8], port: Int, timeout: Int) throws -> [UInt8] {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw ClientError(description: "connect to port \(port) failed: errno \(errno)") }
        // The server may answer (413, 415, ...) and close before reading the whole body:
        // a failed send is not an error here, the answer is read regardless.
        request.withUnsafeBytes { bytes in
            var sent = 0
            while sent < bytes.count {
                let n = socketSend(fd, bytes.baseAddress! + sent, bytes.count - sent)
                if n <= 0 { break }
                sent += n
            }
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 18)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received.append(contentsOf: buffer[0..<n])
            } else if n == 0 || errno == ECONNRESET {
                return received
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                throw ClientError(description: "no answer within \(timeout) s (\(received.count) bytes so far)")
            } else if errno != EINTR {
                throw ClientError(description: "recv failed: errno \(errno)")
            }
        }
    }
}

/// `send(2)` without SIGPIPE (the name `send` is taken by the client's method).
private func socketSend(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.send(fd, bytes, count, Int32(MSG_NOSIGNAL))
    #else
    return Darwin.send(fd, bytes, count, 0)
    #endif
}

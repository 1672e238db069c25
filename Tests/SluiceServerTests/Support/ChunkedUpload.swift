import Foundation

/// A request whose chunked body the test sends piece by piece: the server sees an upload in
/// progress until `finish()` (terminating chunk, then the response) or `abandon()` (the
/// client goes away mid-body).
final class ChunkedUpload: @unchecked Sendable {
    private let socket: LoopbackSocket
    private let method: String

    private init(socket: LoopbackSocket, method: String) {
        self.socket = socket
        self.method = method
    }

    static func start(_ target: String, method: String = "POST", port: Int,
                      contentType: String = "application/x-ndjson", headers: [(String, String)] = []) async throws -> ChunkedUpload {
        try await onOwnThread {
            let socket = try LoopbackSocket(port: port)
            let extra = headers.map { "\($0): \($1)\r\n" }.joined()
            let head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
                + "Content-Type: \(contentType)\r\nTransfer-Encoding: chunked\r\n\(extra)\r\n"
            socket.send(Array(head.utf8))
            return ChunkedUpload(socket: socket, method: method)
        }
    }

    /// Sends one chunk of the body.
    func send(_ text: String) async throws {
        let bytes = Array(text.utf8)
        let frame = Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [13, 10]
        _ = try await onOwnThread { [socket] in socket.send(frame) }
    }

    /// Ends the body and reads the response.
    func finish() async throws -> HTTPTestResponse {
        let method = self.method
        return try await onOwnThread { [socket] in
            socket.send(Array("0\r\n\r\n".utf8))
            defer { socket.close() }
            return try HTTPTestResponse(parsing: try socket.readToEnd(), requestMethod: method)
        }
    }

    /// Closes the connection with the body unfinished.
    func abandon() { socket.close() }
}

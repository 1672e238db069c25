#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A blocking TCP client on loopback for raw HTTP/1.1 tests: sends exact bytes, parses
/// responses strictly enough to check framing. Every read has a receive timeout as a hang
/// guard only (tests never assert on time). Run it through `blocking { }` so that it never
/// blocks a Swift concurrency thread the server's async handlers need.
///
/// `@unchecked Sendable` guard: one test owns a client and calls it from one `blocking { }`
/// block at a time, so its buffer is never touched by two threads at once.
final class RawClient: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []
    private var closed = false

    struct Response {
        var status: Int
        var headers: [(String, String)]
        var body: [UInt8]
        var trailers: [(String, String)] = []
        /// A chunked body that ended without its last chunk (connection closed).
        var incomplete = false

        func header(_ name: String) -> String? {
            headers.first { $0.0.lowercased() == name.lowercased() }?.1
        }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct ClosedError: Error {}

    init(port: Int, receiveTimeout: Int = 20) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        // No close here: a class whose initializer throws after initializing every property
        // is deinitialized, and deinit closes the descriptor (closing twice could close a
        // descriptor another test just received).
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var timeout = timeval(tv_sec: receiveTimeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { if !closed { close(fd) } }

    /// Closes both directions (the descriptor itself is closed on deinit).
    func hangUp() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// Makes the close a reset (SO_LINGER 0), then hangs up: what a client that crashes or
    /// gives up sends.
    func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        closed = true
        close(fd)
    }

    /// Shrinks the kernel receive buffer (before reading a large response slowly).
    func setReceiveBuffer(_ bytes: Int32) {
        var size = bytes
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EPIPE) }
            offset += n
        }
    }

    /// Reads more bytes into the buffer; false at end of stream (or reset).
    @discardableResult
    func fill(max: Int = 65536) throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: max)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            buffer += chunk[0..<n]
            return true
        }
        if n < 0, errno == EAGAIN || errno == EWOULDBLOCK { throw POSIXError(.ETIMEDOUT) }
        return false
    }

    /// Reads until the bytes received so far contain `marker`; false if the stream ended first.
    func fill(untilContains marker: [UInt8]) throws -> Bool {
        while !buffer.indices.contains(where: { buffer[$0...].starts(with: marker) }) {
            guard try fill() else { return false }
        }
        return true
    }

    private func readLine() throws -> String {
        while true {
            if let lf = buffer.firstIndex(of: 10) {
                let line = buffer[..<lf]
                buffer.removeFirst(lf + 1)
                return String(decoding: line.last == 13 ? line.dropLast() : line, as: UTF8.self)
            }
            guard try fill() else { throw ClosedError() }
        }
    }

    private func readExactly(_ n: Int) throws -> [UInt8]? {
        while buffer.count < n { guard try fill() else { return nil } }
        let bytes = Array(buffer[0..<n])
        buffer.removeFirst(n)
        return bytes
    }

    /// Reads one response. 1xx responses are returned too (call again for the final one).
    /// `bodyless` for responses to HEAD.
    func readResponse(bodyless: Bool = false) throws -> Response {
        let statusLine = try readLine()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0] == "HTTP/1.1", let status = Int(parts[1]) else { throw ClosedError() }
        var headers: [(String, String)] = []
        while true {
            let line = try readLine()
            if line.isEmpty { break }
            let colon = line.firstIndex(of: ":")!
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var response = Response(status: status, headers: headers, body: [])
        if bodyless || status < 200 || status == 204 || status == 304 { return response }
        if let length = response.header("Content-Length").flatMap(Int.init) {
            guard let body = try readExactly(length) else { throw ClosedError() }
            response.body = body
        } else if response.header("Transfer-Encoding")?.lowercased() == "chunked" {
            while true {
                guard let sizeLine = try? readLine(), let size = Int(sizeLine.split(separator: ";")[0], radix: 16) else {
                    response.incomplete = true
                    return response
                }
                if size == 0 { break }
                guard let data = try readExactly(size + 2) else {
                    response.incomplete = true
                    return response
                }
                response.body += data.dropLast(2)
            }
            while true {
                let line = try readLine()
                if line.isEmpty { break }
                let colon = line.firstIndex(of: ":")!
                response.trailers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        } else {
            while try fill() {}
            response.body = buffer
            buffer.removeAll()
        }
        return response
    }

    /// True when the server closed the connection (EOF or reset) with nothing more to read.
    func isClosedByServer() throws -> Bool {
        guard buffer.isEmpty else { return false }
        do { return try !fill() } catch let error as POSIXError where error.code == .ECONNRESET { return true }
    }

    /// Everything until the server closes.
    func readToEnd() throws -> [UInt8] {
        while (try? fill()) == true {}
        defer { buffer.removeAll() }
        return buffer
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A blocking TCP connection to 127.0.0.1, for the test client. Call it only from a thread of
/// its own (`onOwnThread`). Reads time out after `timeoutSeconds` (a hang guard).
final class LoopbackSocket: @unchecked Sendable {
    struct SocketError: Error, CustomStringConvertible {
        let description: String
    }

    private let fd: Int32
    private let timeoutSeconds: Int
    private var closed = false

    init(port: Int, timeoutSeconds: Int = 60) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(description: "socket() failed: errno \(errno)") }
        self.timeoutSeconds = timeoutSeconds
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
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
        guard connected == 0 else {
            let code = errno
            Glibc.close(fd)
            throw SocketError(description: "connect to port \(port) failed: errno \(code)")
        }
    }

    deinit { close() }

    /// Sends every byte; returns false if the peer stopped reading (it may have answered
    /// early, e.g. 413 or 415, and closed).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var sent = 0
            while sent < raw.count {
                let n = socketSend(fd, raw.baseAddress! + sent, raw.count - sent)
                if n <= 0 { return false }
                sent += n
            }
            return true
        }
    }

    /// Every byte until the peer closes the connection.
    func readToEnd() throws -> [UInt8] { try read(atLeast: .max) }

    /// At least `count` bytes (fewer only if the peer closes first).
    func read(atLeast count: Int) throws -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while received.count < count {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n > 0 {
                received.append(contentsOf: buffer[0..<n])
            } else if n == 0 || errno == ECONNRESET {
                return received
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                throw SocketError(description: "no answer within \(timeoutSeconds) s (\(received.count) bytes so far)")
            } else if errno != EINTR {
                throw SocketError(description: "recv failed: errno \(errno)")
            }
        }
        return received
    }

    /// Closes with a reset (SO_LINGER 0), as a client that crashes or gives up does.
    func reset() {
        guard !closed else { return }
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }
}

/// `send(2)` without SIGPIPE.
private func socketSend(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.send(fd, bytes, count, Int32(MSG_NOSIGNAL))
    #else
    return Darwin.send(fd, bytes, count, 0)
    #endif
}

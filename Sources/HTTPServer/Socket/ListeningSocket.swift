#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSocketShims

/// A bound, listening, non-blocking TCP socket.
///
/// `SO_REUSEADDR` lets a restarted server bind while old connections sit in TIME_WAIT; an
/// IPv6 socket is made v6-only so that `0.0.0.0` and `::` can both be bound on one port.
struct ListeningSocket {
    let fd: Int32
    let address: SocketAddress

    /// Creates, binds and listens. `port` 0 asks the kernel for an ephemeral port, which
    /// `address.port` then reports.
    static func open(host: String, port: Int, backlog: Int32) throws -> ListeningSocket {
        let requested = try SocketAddress(host: host, port: port)
        let fd = socket(requested.family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(operation: "socket", code: errno) }
        do {
            var one: Int32 = 1
            guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                throw SocketError(operation: "setsockopt(SO_REUSEADDR)", code: errno)
            }
            if requested.family == AF_INET6 {
                guard setsockopt(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &one, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
                    throw SocketError(operation: "setsockopt(IPV6_V6ONLY)", code: errno)
                }
            }
            guard csock_set_nonblocking(fd) == 0 else { throw SocketError(operation: "fcntl(O_NONBLOCK)", code: errno) }
            let bound = requested.withSockAddr { bind(fd, $0, $1) }
            guard bound == 0 else { throw SocketError(operation: "bind \(host):\(port)", code: errno) }
            guard listen(fd, backlog) == 0 else { throw SocketError(operation: "listen", code: errno) }
            var actual = SocketAddress()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let named = withUnsafeMutableBytes(of: &actual.storage) { raw in
                getsockname(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), &length)
            }
            guard named == 0 else { throw SocketError(operation: "getsockname", code: errno) }
            return ListeningSocket(fd: fd, address: actual)
        } catch {
            close(fd)
            throw error
        }
    }
}

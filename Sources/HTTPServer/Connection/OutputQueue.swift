#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSocketShims

/// The bytes a connection still has to send, as a queue of byte arrays written with one
/// `sendmsg` (writev semantics, `MSG_NOSIGNAL`) per flush: a small response's head and body
/// go out in one system call, and a backlog of pipelined responses in one more.
struct OutputQueue {
    private var segments: [[UInt8]] = []
    private var first = 0
    private var firstOffset = 0
    /// Bytes queued and not yet written.
    private(set) var count = 0
    /// The largest `count` ever reached (for memory tests and statistics).
    private(set) var peakCount = 0
    /// Bytes written to the socket since the connection opened.
    private(set) var bytesWritten = 0

    static let maxSegmentsPerWrite = 64

    var isEmpty: Bool { count == 0 }

    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        segments.append(bytes)
        count += bytes.count
        if count > peakCount { peakCount = count }
    }

    mutating func removeAll() {
        segments.removeAll()
        first = 0
        firstOffset = 0
        count = 0
    }

    enum FlushOutcome {
        case flushed
        case wouldBlock
        case failed(Int32)
    }

    /// Writes until everything is sent, the socket would block, or an error occurs.
    mutating func flush(to fd: Int32) -> FlushOutcome {
        while count > 0 {
            let n = writeOnce(fd)
            if n < 0 {
                switch errno {
                case EINTR: continue
                case EAGAIN, EWOULDBLOCK: return .wouldBlock
                default: return .failed(errno)
                }
            }
            advance(by: n)
        }
        return .flushed
    }

    private func writeOnce(_ fd: Int32) -> Int {
        let n = min(segments.count - first, Self.maxSegmentsPerWrite)
        if n == 1 {
            return segments[first].withUnsafeBytes { raw in
                csock_send_nosignal(fd, raw.baseAddress! + firstOffset, raw.count - firstOffset)
            }
        }
        return withUnsafeTemporaryAllocation(of: iovec.self, capacity: n) { iov in
            fill(iov, index: 0, count: n, fd: fd)
        }
    }

    /// Pins each segment's storage with nested `withUnsafeBytes` so that the pointers in
    /// `iov` stay valid for the duration of the system call.
    private func fill(_ iov: UnsafeMutableBufferPointer<iovec>, index: Int, count n: Int, fd: Int32) -> Int {
        if index == n { return csock_writev_nosignal(fd, iov.baseAddress, Int32(n)) }
        return segments[first + index].withUnsafeBytes { raw in
            let offset = index == 0 ? firstOffset : 0
            iov[index] = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress! + offset), iov_len: raw.count - offset)
            return fill(iov, index: index + 1, count: n, fd: fd)
        }
    }

    private mutating func advance(by written: Int) {
        bytesWritten += written
        count -= written
        var remaining = written
        while remaining > 0 {
            let available = segments[first].count - firstOffset
            if remaining < available {
                firstOffset += remaining
                return
            }
            remaining -= available
            first += 1
            firstOffset = 0
        }
        if first == segments.count {
            segments.removeAll(keepingCapacity: segments.count <= 16)
            first = 0
        } else if first > 32 {
            segments.removeFirst(first)
            first = 0
        }
    }
}

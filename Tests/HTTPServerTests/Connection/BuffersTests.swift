#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import HTTPServer

/// The connection's input buffer and output queue on a real non-blocking socket pair.
@Suite struct BuffersTests {
    static func socketPair() -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        _ = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds)
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        _ = fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK)
        return (fds[0], fds[1])
    }

    @Test func inputBufferCompactsGrowsAndShrinks() {
        let (a, b) = Self.socketPair()
        defer { close(a) }
        let buffer = InputBuffer(initialCapacity: 16)
        _ = Array("0123456789abcdef".utf8).withUnsafeBytes { write(b, $0.baseAddress, $0.count) }
        guard case .bytes(16) = buffer.read(from: a, wanted: 16, maxCapacity: 64) else { Issue.record("read"); return }
        buffer.consume(10)
        _ = Array("XYZ".utf8).withUnsafeBytes { write(b, $0.baseAddress, $0.count) }
        guard case .bytes(3) = buffer.read(from: a, wanted: 8, maxCapacity: 64) else { Issue.record("read after compaction"); return }
        #expect(Array(buffer.readable) == Array("abcdefXYZ".utf8))
        #expect(buffer.capacity == 16)
        _ = [UInt8](repeating: 65, count: 40).withUnsafeBytes { write(b, $0.baseAddress, $0.count) }
        guard case .bytes(40) = buffer.read(from: a, wanted: 40, maxCapacity: 64) else { Issue.record("read after growth"); return }
        #expect(buffer.count == 49)
        #expect(buffer.capacity == 64)
        guard case .wouldBlock = buffer.read(from: a, wanted: 8, maxCapacity: 64) else { Issue.record("expected EAGAIN"); return }
        buffer.consume(49)
        buffer.shrinkIfEmpty()
        #expect(buffer.capacity == 16)
        close(b)
        guard case .endOfStream = buffer.read(from: a, wanted: 8, maxCapacity: 64) else { Issue.record("expected EOF"); return }
    }

    @Test func outputQueueWritesSegmentsInOrderAcrossPartialWrites() {
        let (a, b) = Self.socketPair()
        defer { close(a); close(b) }
        var queue = OutputQueue()
        var expected: [UInt8] = []
        for i in 0..<200 {
            let segment = [UInt8](repeating: UInt8(i % 251), count: 1 + (i * 977) % 9000)
            queue.append(segment)
            expected += segment
        }
        #expect(queue.count == expected.count)
        var received: [UInt8] = []
        var scratch = [UInt8](repeating: 0, count: 65536)
        while !queue.isEmpty {
            switch queue.flush(to: a) {
            case .flushed, .wouldBlock: break
            case .failed(let code): Issue.record("write failed \(code)"); return
            }
            while true {
                let n = scratch.withUnsafeMutableBytes { read(b, $0.baseAddress, $0.count) }
                if n <= 0 { break }
                received += scratch[0..<n]
            }
        }
        #expect(received == expected)
        #expect(queue.bytesWritten == expected.count)
        #expect(queue.peakCount == expected.count)
    }
}

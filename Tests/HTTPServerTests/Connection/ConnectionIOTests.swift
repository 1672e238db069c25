#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Logging
import SluiceLocks
import Testing
@testable import HTTPServer

/// `ConnectionIO` on socketpairs: the Dispatch sources' life around teardown.
@Suite struct ConnectionIOTests {
    static func socketPair() -> (Int32, Int32) {
        var fds: [Int32] = [0, 0]
        let rc = socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds)
        precondition(rc == 0)
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        return (fds[0], fds[1])
    }

    /// Resuming reads schedules one look at the socket; a teardown in between must leave
    /// the look with nothing to do (suspending the cancelled source there can make Dispatch
    /// trap when the connection is released, a race the full suite once hit). The peer sees
    /// the close every time.
    @Test func aTeardownRightAfterReadsResumeLeavesNoSourceSuspended() {
        let loop = IOLoop(index: 0, sweepEvery: .seconds(1))
        let context = ServerContext(configuration: HTTPServerConfiguration(), router: Router(), logger: Logger(label: "test"))
        for _ in 0..<200 {
            let (server, client) = Self.socketPair()
            loop.queue.sync {
                let io = ConnectionIO(fd: server, remoteAddress: "socketpair", loop: loop, context: context)
                context.statistics.withLock { $0.openConnections += 1 }
                io.start(handler: nil)
                io.teardown()
            }
            loop.queue.sync {}  // the scheduled look runs
            var timeout = timeval(tv_sec: 10, tv_usec: 0)  // a hang guard
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var byte: UInt8 = 0
            #expect(recv(client, &byte, 1, 0) == 0, "the descriptor was not closed")
            close(client)
        }
        #expect(context.statistics.withLock { $0.openConnections } == 0)
        loop.stop()
    }

    /// A peer that wrote and reset before the source existed: the first look reads it.
    @Test func bytesThatArrivedBeforeStartAreRead() async {
        let loop = IOLoop(index: 0, sweepEvery: .seconds(1))
        let context = ServerContext(configuration: HTTPServerConfiguration(), router: Router(), logger: Logger(label: "test"))
        let (server, client) = Self.socketPair()
        _ = "hello".withCString { send(client, $0, 5, Int32(MSG_NOSIGNAL)) }
        close(client)
        let handler = RecordingHandler()
        let io = ConnectionIO(fd: server, remoteAddress: "socketpair", loop: loop, context: context)
        context.statistics.withLock { $0.openConnections += 1 }
        loop.queue.sync {
            handler.io = io
            io.start(handler: handler)
        }
        var done = false
        for _ in 0..<2000 where !done {
            try? await Task.sleep(for: .milliseconds(5))
            done = loop.queue.sync { io.isClosed }
        }
        #expect(done)
        #expect(loop.queue.sync { handler.received } == "hello")
        loop.stop()
    }
}

/// Reads everything into `received` and tears down at the end of the stream.
private final class RecordingHandler: ConnectionHandler, @unchecked Sendable {
    // `@unchecked Sendable` guard: used only on the loop's queue.
    var io: ConnectionIO?
    var received = ""

    func readable() {
        guard let io else { return }
        while true {
            switch io.read(wanted: 4096) {
            case .bytes:
                received += String(decoding: io.input.readable, as: UTF8.self)
                io.input.clear()
            case .wouldBlock: return
            case .endOfStream, .failed: return io.teardown()
            }
        }
    }
    func outputProgressed() {}
    func checkTimeouts(now: UInt64) {}
    func beginShutdown() {}
    func connectionClosed() { io = nil }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Sending: flushing the output queue, waking writers once the backlog drains, and the
/// orderly close (send the rest, shut down the write side, linger, close).
extension HTTPConnection {
    func flushOutput() {
        guard !output.isEmpty else { return }
        switch output.flush(to: fd) {
        case .flushed:
            writeBlocked = false
            wantWrite(false)
        case .wouldBlock:
            if !writeBlocked {
                writeBlocked = true
                lastWriteProgress = loop.now
            }
            wantWrite(true)
        case .failed:
            teardown()
        }
    }

    /// After the socket accepted more bytes: resume a waiting writer below the low-water
    /// mark, continue paused pipelined requests, or finish closing.
    func outputProgressed() {
        let lowWater = context.configuration.outputLowWaterMark
        switch phase {
        case .exchange(let exchange):
            if output.count <= lowWater, let waiter = exchange.writeWaiter {
                exchange.writeWaiter = nil
                waiter.resume()
            }
        case .awaitingHead:
            if pipelinePaused, output.count <= lowWater {
                pipelinePaused = false
                serviceInput()
            }
        case .http2(let session):
            session.outputProgressed()
        case .closing:
            if output.isEmpty { beginLingering() }
        case .draining, .lingering, .closed:
            break
        }
    }

    /// Sends what is queued, then closes.
    func beginClosing() {
        switch phase {
        case .closing, .lingering, .closed: return
        default: break
        }
        phase = .closing
        wantRead(false)
        flushOutput()
        if case .closing = phase, output.isEmpty { beginLingering() }
    }

    /// Shuts down the write side and reads (discarding) until the client closes or the
    /// linger time passes; closing with unread input would reset the connection and could
    /// destroy the response before the client read it.
    private func beginLingering() {
        shutdown(fd, Int32(SHUT_WR))
        phase = .lingering
        phaseSince = loop.now
        input.clear()
        wantRead(true)
    }
}

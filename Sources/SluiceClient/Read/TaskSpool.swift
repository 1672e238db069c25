import Glibc
import NIOCore
import SluiceLocks

/// A task's rows while a task before it is still streaming: in memory up to `memoryLimit` (the
/// buffers as they came off the socket, not copied), then in a temporary file (unlinked at once, so nothing is left behind however the process
/// ends). Written by its task, then read by the output writer; never both at once.
final class TaskSpool: Sendable {
    private struct State {
        var memory: [ByteBuffer] = []
        var memorySize = 0
        var fd: Int32 = -1
        var fileSize = 0
    }
    private let state = Locked(State())
    let memoryLimit: Int

    init(memoryLimit: Int = 16 << 20) {
        self.memoryLimit = memoryLimit
    }

    deinit { state.withLock { if $0.fd >= 0 { close($0.fd) } } }

    var size: Int { state.withLock { $0.memorySize + $0.fileSize } }

    /// Starts over (a task tried again from its first row).
    func reset() throws {
        try state.withLock { state in
            state.memory.removeAll()
            state.memorySize = 0
            if state.fd >= 0 {
                guard ftruncate(state.fd, 0) == 0, lseek(state.fd, 0, SEEK_SET) == 0 else { throw OutputFile.failure("the temporary file") }
            }
            state.fileSize = 0
        }
    }

    func append(_ buffer: ByteBuffer) throws {
        try state.withLock { state in
            if state.fileSize == 0, state.memorySize + buffer.readableBytes <= memoryLimit {
                state.memory.append(buffer)
                state.memorySize += buffer.readableBytes
                return
            }
            if state.fd < 0 { state.fd = try Self.temporaryFile() }
            try buffer.withUnsafeReadableBytes { try OutputFile.writeAll(state.fd, $0, what: "the temporary file") }
            state.fileSize += buffer.readableBytes
        }
    }

    /// Calls `body` with the bytes in order (the memory part, then the file's a megabyte at a
    /// time) until it answers false.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        try state.withLock { state in
            for buffer in state.memory {
                guard try buffer.withUnsafeReadableBytes({ try body($0) }) else { return }
            }
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var offset = 0
            while offset < state.fileSize {
                let count = buffer.withUnsafeMutableBytes { pread(state.fd, $0.baseAddress, $0.count, off_t(offset)) }
                guard count > 0 else { throw OutputFile.failure("the temporary file") }
                offset += count
                guard try buffer.withUnsafeBytes({ try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }) else { return }
            }
        }
    }

    private static func temporaryFile() throws -> Int32 {
        let folder = (getenv("TMPDIR").map { String(cString: $0) }).flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(folder)/sluice-read-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ClientFailure("cannot make a temporary file in \(folder): \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        return fd
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A connection's reusable receive buffer: bytes are read into it, parsed in place and
/// consumed from the front; the unconsumed rest is moved to the front with `memmove` only
/// when room is needed. Starts small (idle connections cost little) and grows for large
/// heads and bodies, shrinking back once empty.
final class InputBuffer {
    private(set) var storage: UnsafeMutableRawPointer
    private(set) var capacity: Int
    private var readerIndex = 0
    private var writerIndex = 0
    let initialCapacity: Int

    init(initialCapacity: Int = 4096) {
        self.initialCapacity = initialCapacity
        capacity = initialCapacity
        storage = .allocate(byteCount: initialCapacity, alignment: 16)
    }

    deinit { storage.deallocate() }

    var isEmpty: Bool { readerIndex == writerIndex }
    var count: Int { writerIndex - readerIndex }

    /// The unconsumed bytes. Valid until the next `read`, `consume` or `shrink`.
    var readable: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: storage + readerIndex, count: writerIndex - readerIndex)
    }

    func consume(_ n: Int) {
        readerIndex += n
        if readerIndex == writerIndex {
            readerIndex = 0
            writerIndex = 0
        }
    }

    /// Discards everything unconsumed.
    func clear() {
        readerIndex = 0
        writerIndex = 0
    }

    enum ReadOutcome {
        case bytes(Int)
        case endOfStream
        case wouldBlock
        case failed(Int32)
    }

    /// One `read` into the free space, first making room for at least `wanted` bytes
    /// (compacting, then growing up to `maxCapacity`).
    func read(from fd: Int32, wanted: Int, maxCapacity: Int) -> ReadOutcome {
        reserveFree(wanted, maxCapacity: maxCapacity)
        let free = capacity - writerIndex
        guard free > 0 else { return .bytes(0) }
        while true {
            let n = Glibc.read(fd, storage + writerIndex, free)
            if n > 0 {
                writerIndex += n
                return .bytes(n)
            }
            if n == 0 { return .endOfStream }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            default: return .failed(errno)
            }
        }
    }

    private func reserveFree(_ wanted: Int, maxCapacity: Int) {
        if capacity - writerIndex >= wanted { return }
        if readerIndex > 0 {
            let n = writerIndex - readerIndex
            if n > 0 { memmove(storage, storage + readerIndex, n) }
            readerIndex = 0
            writerIndex = n
            if capacity - writerIndex >= wanted { return }
        }
        guard capacity < maxCapacity else { return }
        var newCapacity = capacity
        while newCapacity - writerIndex < wanted, newCapacity < maxCapacity { newCapacity *= 2 }
        newCapacity = min(newCapacity, maxCapacity)
        let grown = UnsafeMutableRawPointer.allocate(byteCount: newCapacity, alignment: 16)
        grown.copyMemory(from: storage, byteCount: writerIndex)
        storage.deallocate()
        storage = grown
        capacity = newCapacity
    }

    /// Returns a grown buffer to its initial size when it holds nothing, so a connection
    /// that once received a large body does not keep that memory while idle.
    func shrinkIfEmpty() {
        guard isEmpty, capacity > initialCapacity else { return }
        storage.deallocate()
        storage = .allocate(byteCount: initialCapacity, alignment: 16)
        capacity = initialCapacity
    }
}

import Glibc
import Synchronization

/// A task's rows on disk while the task before it is still streaming: a temporary file,
/// unlinked at once, so nothing is left behind however the process ends. Written by its task,
/// then read by the output writer; never both at once.
final class SpoolFile: Sendable {
    let fd: Int32
    private let length = Mutex(0)
    var size: Int { length.withLock { $0 } }

    init() throws {
        let folder = (getenv("TMPDIR").map { String(cString: $0) }).flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array("\(folder)/sluice-read-XXXXXX".utf8CString)
        fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw ClientFailure("cannot make a temporary file in \(folder): \(String(cString: strerror(errno)))") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    }

    deinit { close(fd) }

    /// Starts over (a task tried again from its first row).
    func reset() throws {
        guard ftruncate(fd, 0) == 0, lseek(fd, 0, SEEK_SET) == 0 else { throw OutputFile.failure("the temporary file") }
        length.withLock { $0 = 0 }
    }

    func append(_ bytes: UnsafeRawBufferPointer) throws {
        try OutputFile.writeAll(fd, bytes, what: "the temporary file")
        length.withLock { $0 += bytes.count }
    }

    /// Calls `body` with the file's bytes in order, a megabyte at a time.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) throws -> Bool) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        let size = size
        while offset < size {
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            guard count > 0 else { throw OutputFile.failure("the temporary file") }
            offset += count
            let more = try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
            if !more { return }
        }
    }
}

/// Where `sluice read` puts rows: standard output, or a file that appears (renamed into place)
/// only when the read succeeded, so a failed read never leaves a short file that looks whole.
public final class OutputFile: Sendable {
    let fd: Int32
    private let finalPath: String?
    private let partialPath: String?

    /// `path` nil or "-": standard output.
    public init(path: String?) throws {
        guard let path, path != "-" else {
            fd = 1
            finalPath = nil
            partialPath = nil
            return
        }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let partial = "\(folder.isEmpty ? "" : folder + "/").\(name).partial-\(getpid())"
        fd = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ClientFailure("-o \(path): cannot create \(partial): \(String(cString: strerror(errno)))") }
        finalPath = path
        partialPath = partial
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try Self.writeAll(fd, bytes, what: finalPath ?? "standard output")
    }

    /// Moves a finished file into place.
    public func commit() throws {
        guard let finalPath, let partialPath else { return }
        guard fsync(fd) == 0, close(fd) == 0 else { throw Self.failure(finalPath) }
        guard rename(partialPath, finalPath) == 0 else { throw Self.failure(finalPath) }
    }

    /// Removes an unfinished file.
    public func discard() {
        guard let partialPath else { return }
        close(fd)
        unlink(partialPath)
    }

    static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, what: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(what)
            }
            offset += written
        }
    }

    static func failure(_ what: String) -> ClientFailure {
        ClientFailure("cannot write \(what): \(String(cString: strerror(errno)))")
    }
}

import Glibc

/// Where `sluice read` puts rows: standard output, or a file that appears (renamed into place)
/// only when the read succeeded, so a failed read never leaves a short file that looks whole.
public final class OutputFile: Sendable {
    let fd: Int32
    private let name: String
    private let finalPath: String?
    private let partialPath: String?

    /// `path` nil or "-": standard output.
    public init(path: String?) throws {
        name = path.flatMap { $0 == "-" ? nil : $0 } ?? "standard output"
        guard let path, path != "-" else {
            fd = 1
            finalPath = nil
            partialPath = nil
            return
        }
        // A device or a pipe (`-o /dev/null`, a FIFO) is written as it is: it cannot be renamed over.
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { throw ClientFailure("-o \(path): \(String(cString: strerror(errno)))") }
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
        try Self.writeAll(fd, bytes, what: name)
    }

    /// Moves a finished file into place.
    public func commit() throws {
        guard let finalPath, let partialPath else {
            if fd > 2 { close(fd) }
            return
        }
        guard fsync(fd) == 0, close(fd) == 0 else { throw Self.failure(finalPath) }
        guard rename(partialPath, finalPath) == 0 else { throw Self.failure(finalPath) }
    }

    /// Removes an unfinished file.
    public func discard() {
        guard let partialPath else {
            if fd > 2 { close(fd) }
            return
        }
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

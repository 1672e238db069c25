import Glibc

/// One input of `sluice write`: a file, or standard input (`-`), read a megabyte at a time.
public final class InputFile: Sendable {
    public let name: String
    public let format: RowFormat
    /// The size in bytes, when known (a regular file): the share sent and the ETA come from it.
    public let size: Int?
    let fd: Int32

    public init(path: String, format: RowFormat?) throws {
        name = path == "-" ? "standard input" : path
        guard let format = format ?? (path == "-" ? .ndjson : RowFormat.implied(byName: path)) else {
            throw ClientFailure("\(path): cannot tell the format from the name; give --format ndjson, csv or json")
        }
        self.format = format
        if path == "-" {
            fd = 0
            size = nil
            return
        }
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ClientFailure("\(path): \(String(cString: strerror(errno)))") }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ClientFailure("\(path): is a folder; name the files (a shell glob like \(path)/*.ndjson does)")
        }
        size = (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : nil
    }

    deinit { if fd > 0 { close(fd) } }

    /// Reads up to `count` bytes into `pointer`; 0 at the end. A pipe or a terminal is waited
    /// on a fifth of a second at a time, so `stop()` (Ctrl-C) is heard while the writer of the
    /// pipe is quiet.
    func read(into pointer: UnsafeMutableRawPointer, count: Int, stop: () -> Bool) throws -> Int {
        while true {
            if size == nil {
                var waiting = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&waiting, 1, 200)
                if stop() { throw ClientFailure("interrupted while reading \(name)") }
                if ready == 0 || ready < 0 && errno == EINTR { continue }
            }
            let got = Glibc.read(fd, pointer, count)
            if got >= 0 { return got }
            if errno != EINTR { throw ClientFailure("\(name): \(String(cString: strerror(errno)))") }
        }
    }
}

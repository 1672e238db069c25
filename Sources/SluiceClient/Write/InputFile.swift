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

    /// Reads up to `count` bytes into `pointer`; 0 at the end.
    func read(into pointer: UnsafeMutableRawPointer, count: Int) throws -> Int {
        while true {
            let got = Glibc.read(fd, pointer, count)
            if got >= 0 { return got }
            if errno != EINTR { throw ClientFailure("\(name): \(String(cString: strerror(errno)))") }
        }
    }
}

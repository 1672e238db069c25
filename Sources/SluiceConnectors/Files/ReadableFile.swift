#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// A file opened read-only for positional reads (`open` + `pread`), closed when released.
///
/// Positional reads keep no shared cursor, so one task's reader owns its own handle and tasks
/// of one file can read in parallel. Errors are `ConnectorError`s naming the file.
final class ReadableFile: Sendable {
    let path: String
    let connector: String
    let descriptor: Int32
    /// The size when opened.
    let size: Int

    init(path: String, connector: String) throws {
        self.path = path
        self.connector = connector
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ConnectorError(connector: connector, "cannot open the file: \(systemErrorText())", path: path)
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let message = systemErrorText()
            close(fd)
            throw ConnectorError(connector: connector, "cannot stat the file: \(message)", path: path)
        }
        descriptor = fd
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// Reads up to `count` bytes at `offset` into `buffer`, looping over short reads; fewer
    /// bytes only at the end of the file.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) throws -> Int {
        var done = 0
        while done < count {
            let n = pread(descriptor, buffer + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw ConnectorError(connector: connector, "read failed: \(systemErrorText())", path: path, offset: offset + done)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// The number of `\n` bytes before `offset` (for turning a split-relative line number
    /// into a file line number on an error path; not used while reading).
    func newlines(before offset: Int) throws -> Int {
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var position = 0, lines = 0
        while position < offset {
            let n = try read(into: buffer, count: min(chunk, offset - position), at: position)
            if n == 0 { break }
            let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
            for byte in bytes where byte == UInt8(ascii: "\n") { lines += 1 }
            position += n
        }
        return lines
    }
}

/// `strerror(errno)` as text.
func systemErrorText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}

extension ReadableFile {
    /// The current size of the file at `path`.
    static func size(of path: String, connector: String) throws -> Int {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ConnectorError(connector: connector, "cannot stat the file: \(systemErrorText())", path: path)
        }
        return Int(info.st_size)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SluiceCore

/// One output file written atomically: bytes go to a hidden temporary file (`.<name>.tmp`)
/// in the target directory; `commit()` fsyncs it and renames it to `name`, so readers see
/// either no file or the whole file. `discard()` removes the temporary file.
/// The caller fsyncs the directory after its renames (`fsyncDirectory`).
final class StagedFile {
    let directory: String
    let name: String
    let connector: String
    private var descriptor: Int32
    private(set) var bytesWritten = 0

    var temporaryPath: String { directory + "/." + name + ".tmp" }
    var finalPath: String { directory + "/" + name }

    init(directory: String, name: String, connector: String) throws {
        self.directory = directory
        self.name = name
        self.connector = connector
        descriptor = -1
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("cannot create the file", temporaryPath) }
    }

    deinit { discard() }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = systemWrite(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw failure("write failed", temporaryPath)
            }
            done += n
        }
        bytesWritten += bytes.count
    }

    /// Makes the file durable under its final name.
    func commit() throws {
        guard fsync(descriptor) == 0 else { throw failure("fsync failed", temporaryPath) }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else {
            let error = failure("close failed", temporaryPath)
            unlink(temporaryPath)
            throw error
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            let error = failure("cannot rename into place", finalPath)
            unlink(temporaryPath)
            throw error
        }
    }

    /// Drops an uncommitted file; does nothing after `commit()`.
    func discard() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporaryPath)
    }

    private func failure(_ what: String, _ path: String) -> ConnectorError {
        ConnectorError(connector: connector, "\(what): \(systemErrorText())", path: path)
    }
}

/// Makes the directory's entries (renames, unlinks) durable.
func fsyncDirectory(_ path: String, connector: String) throws {
    let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw ConnectorError(connector: connector, "cannot open the directory: \(systemErrorText())", path: path) }
    defer { close(fd) }
    guard fsync(fd) == 0 else { throw ConnectorError(connector: connector, "fsync failed: \(systemErrorText())", path: path) }
}

/// POSIX `write`, named apart from `StagedFile.write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buffer, count)
    #else
    return Darwin.write(fd, buffer, count)
    #endif
}

/// Removes a file, ignoring failures (cleanup after another error).
func unlinkIgnoringErrors(_ path: String) {
    _ = unlink(path)
}

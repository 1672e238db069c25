import Foundation

/// Runs a program (curl, gzip, the `sluice` executable) and captures what it printed and
/// its exit status. Waiting happens on a thread of its own (`onOwnThread`);
/// a run past `timeoutSeconds` is terminated (a hang guard, not a timing assertion).
enum ProcessRunner {
    struct Outcome: Sendable {
        let status: Int32
        let stdout: [UInt8]
        let stderr: String
        var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    }

    static func run(_ executable: String, _ arguments: [String], stdin: [UInt8]? = nil,
                    timeoutSeconds: Double = 60) async throws -> Outcome {
        try await onOwnThread { try runBlocking(executable, arguments, stdin: stdin, timeoutSeconds: timeoutSeconds) }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], stdin: [UInt8]?,
                                    timeoutSeconds: Double) throws -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        let guardTimer = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: guardTimer)
        defer { guardTimer.cancel() }
        if let stdin {
            Thread {
                input.fileHandleForWriting.write(Data(stdin))
                try? input.fileHandleForWriting.close()
            }.start()
        }
        // Read both pipes to the end before waiting, so a chatty child never blocks on a full pipe.
        let errorReader = PipeReader(err)
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        let errorData = errorReader.wait()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: [UInt8](outputData),
                       stderr: String(decoding: errorData, as: UTF8.self))
    }

    /// `curl` with the given arguments (silent, errors shown).
    static func curl(_ arguments: [String]) async throws -> Outcome {
        try await run("/usr/bin/curl", ["--silent", "--show-error", "--max-time", "60"] + arguments)
    }

    /// `bytes` gzip-compressed by the system's gzip.
    static func gzip(_ bytes: [UInt8]) async throws -> [UInt8] {
        let outcome = try await run("/usr/bin/gzip", ["-c"], stdin: bytes)
        guard outcome.status == 0 else { throw CocoaError(.fileWriteUnknown) }
        return outcome.stdout
    }
}

/// Reads a pipe to its end on a thread of its own.
private final class PipeReader: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var data = Data()

    init(_ pipe: Pipe) {
        Thread { [self] in
            data = pipe.fileHandleForReading.readDataToEndOfFile()
            done.signal()
        }.start()
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}

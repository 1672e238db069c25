import Foundation
import Logging

/// Collects every log line a server writes (info and above), as text.
final class LogCapture: @unchecked Sendable {
    // `@unchecked Sendable` guard: `lines` is used only under `lock`.
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return lines.joined(separator: "\n")
    }

    var handler: @Sendable (String) -> any LogHandler {
        { [self] label in CapturingLogHandler(label: label, capture: self) }
    }
}

/// Writes each message with its metadata (`key=value`, sorted) into a `LogCapture`.
struct CapturingLogHandler: LogHandler {
    let label: String
    let capture: LogCapture
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
             file: String, function: String, line: UInt) {
        let all = metadata.merging(explicit ?? [:]) { $1 }
        capture.append("\(level) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) \(message)")
    }
}

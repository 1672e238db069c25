import Dispatch
import Logging

/// One `info` line per exchange: method, target, status, body bytes and duration. Costs
/// nothing (no clock reads) when the logger's level is above `info`.
struct AccessLog: Sendable {
    let logger: Logger
    let isEnabled: Bool

    init(logger: Logger) {
        self.logger = logger
        isEnabled = logger.logLevel <= .info
    }

    /// The start stamp to pass to `record` (0 when logging is off).
    func startStamp() -> UInt64 { isEnabled ? DispatchTime.now().uptimeNanoseconds : 0 }

    func record(method: HTTPMethod, target: String, status: Int, bytes: Int, startedAt: UInt64, remote: String) {
        guard isEnabled else { return }
        let micros = (DispatchTime.now().uptimeNanoseconds &- startedAt) / 1000
        logger.info("\(method.rawValue) \(target) \(status)", metadata: [
            "status": "\(status)", "bytes": "\(bytes)", "duration_us": "\(micros)", "remote": "\(remote)",
        ])
    }
}

import Logging

/// One `info` line per exchange: method, path, status, body bytes and duration. Costs
/// nothing (no clock reads) when the logger's level is above `info`.
struct AccessLog: Sendable {
    let logger: Logger
    let isEnabled: Bool

    init(logger: Logger) {
        self.logger = logger
        isEnabled = logger.logLevel <= .info
    }

    func record(method: HTTPMethod, target: String, status: Int, bytes: Int, startedAt: UInt64, remote: String) {
        guard isEnabled else { return }
        let micros = (DispatchTimeNow.uptimeNanoseconds() &- startedAt) / 1000
        logger.info("\(method.rawValue) \(target) \(status)", metadata: [
            "status": "\(status)", "bytes": "\(bytes)", "duration_us": "\(micros)", "remote": "\(remote)",
        ])
    }
}

import Dispatch

enum DispatchTimeNow {
    static func uptimeNanoseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

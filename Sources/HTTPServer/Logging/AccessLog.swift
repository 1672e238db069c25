import Dispatch
import Logging

/// One `info` line per exchange: method, target, status, body bytes, duration and, when the
/// configuration names it, the client. Costs nothing (no clock reads) when the logger's
/// level is above `info`.
struct AccessLog: Sendable {
    let logger: Logger
    let isEnabled: Bool
    let client: (@Sendable (HTTPHeaders) -> String?)?

    init(logger: Logger, client: (@Sendable (HTTPHeaders) -> String?)? = nil) {
        self.logger = logger
        self.client = client
        isEnabled = logger.logLevel <= .info
    }

    /// The start stamp to pass to `record` (0 when logging is off, or unknown).
    func startStamp() -> UInt64 { isEnabled ? DispatchTime.now().uptimeNanoseconds : 0 }

    func record(_ head: RequestHead, status: Int, bytes: Int, startedAt: UInt64, remote: String) {
        guard isEnabled else { return }
        var metadata: Logger.Metadata = ["status": "\(status)", "bytes": "\(bytes)", "remote": "\(remote)"]
        // No start stamp (a request refused before its head was read): no duration, rather
        // than the time since boot.
        if startedAt != 0 { metadata["duration_us"] = "\((DispatchTime.now().uptimeNanoseconds &- startedAt) / 1000)" }
        if let name = client?(head.headers) { metadata["client"] = "\(name)" }
        logger.info("\(head.method.rawValue) \(head.target) \(status)", metadata: metadata)
    }
}

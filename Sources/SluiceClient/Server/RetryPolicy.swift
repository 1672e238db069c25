import Foundation

/// When the client tries a request again, and how long it waits first.
///
/// Retried: connection errors (refused, reset, closed early, timed out), a cut stream, 408,
/// 429, 5xx other than 501 and 505, and 409 `idempotency-key-in-use` (the same request is
/// still running on the server). Every other answer is final. Requests that change state are
/// retried only with an `Idempotency-Key`, so a retry never writes twice.
public struct RetryPolicy: Sendable {
    /// Attempts after the first.
    public var retries: Int
    /// The first wait; each later one doubles, up to `maxDelay`.
    public var baseDelay: Double
    public var maxDelay: Double

    public init(retries: Int = 5, baseDelay: Double = 0.25, maxDelay: Double = 8) {
        self.retries = retries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// Whether `error` may be retried, and the server's `Retry-After` if it gave one.
    public static func verdict(for error: any Error) -> (retriable: Bool, retryAfter: Double?) {
        switch error {
        case is CancellationError:
            return (false, nil)
        case let problem as ServerProblem:
            switch problem.status {
            case 408, 429: return (true, problem.retryAfter)
            case 409: return (problem.type == "idempotency-key-in-use", problem.retryAfter)
            case 501, 505: return (false, nil)
            case 500...599: return (true, problem.retryAfter)
            default: return (false, nil)
            }
        case let failure as ClientFailure:
            return (failure.retriable, nil)
        default:
            // AsyncHTTPClient and NIO errors: the connection failed or broke.
            return (true, nil)
        }
    }

    /// The wait before attempt `attempt + 1` (attempt 1 is the first retry): the server's
    /// `Retry-After` when given (capped at a minute), else exponential with jitter (50–100%).
    public func delay(beforeRetry attempt: Int, retryAfter: Double?, jitter: Double = Double.random(in: 0.5...1)) -> Double {
        if let retryAfter { return min(max(retryAfter, 0), 60) }
        let exponential = baseDelay * pow(2, Double(max(attempt - 1, 0)))
        return min(exponential, maxDelay) * jitter
    }

    /// Reads `Retry-After`: delta-seconds or an HTTP-date.
    public static func retryAfter(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value) { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value).map { max($0.timeIntervalSince(now), 0) }
    }

    /// An `onRetry` that tells the user: what failed, why, and when it is tried again.
    public func notice(client: ServerClient, note: @escaping @Sendable (String) -> Void, _ what: String) -> @Sendable (any Error, Int, Double) -> Void {
        let retries = retries
        let server = client.address.baseURL
        return { error, attempt, wait in
            note("\(what): \(FailureText.describe(error, server: server)); trying again in \(String(format: "%.1f", wait)) s (retry \(attempt) of \(retries))")
        }
    }

    /// Runs `attempt` until it succeeds, fails for good, or the retries are used up.
    /// `onRetry` hears each failure that will be retried (for a progress note).
    public func run<T: Sendable>(_ attempt: () async throws -> T,
                                 onRetry: (_ error: any Error, _ attempt: Int, _ wait: Double) -> Void = { _, _, _ in }) async throws -> T {
        var failures = 0
        while true {
            do {
                return try await attempt()
            } catch {
                let verdict = Self.verdict(for: error)
                failures += 1
                guard verdict.retriable, failures <= retries, !Task.isCancelled else { throw error }
                let wait = delay(beforeRetry: failures, retryAfter: verdict.retryAfter)
                onRetry(error, failures, wait)
                try await Task.sleep(nanoseconds: UInt64(wait * 1e9))
            }
        }
    }
}

/// A failure the client found itself (as opposed to the server's answer).
public struct ClientFailure: Error, Sendable, CustomStringConvertible {
    public let description: String
    /// Whether trying again may help (a cut stream) or not (bad input).
    public let retriable: Bool

    public init(_ description: String, retriable: Bool = false) {
        self.description = description
        self.retriable = retriable
    }
}

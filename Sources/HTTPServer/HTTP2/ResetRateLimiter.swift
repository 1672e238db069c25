/// Counts a connection's received RST_STREAM frames per interval (rapid-reset protection,
/// CVE-2023-44487): a client that opens and cancels streams faster than the cap is cut off.
struct ResetRateLimiter {
    let limit: Int
    let interval: UInt64
    private var windowStart: UInt64 = 0
    private var count = 0

    init(limit: Int, interval: Duration) {
        self.limit = limit
        self.interval = interval.nanoseconds
    }

    /// Records one reset at `now` (loop clock); true once the cap is exceeded.
    mutating func record(now: UInt64) -> Bool {
        if now &- windowStart > interval {
            windowStart = now
            count = 0
        }
        count += 1
        return count > limit
    }
}

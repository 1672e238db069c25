import Foundation
import SluiceLocks

/// What a running `sluice write` has sent so far, for the status line: rows and input bytes
/// acknowledged, the share of the input with an ETA when its size is known.
public final class WriteProgress: Sendable {
    private struct State {
        var rows = 0, inputBytes = 0, batches = 0, skipped = 0, rejected = 0
        var totalBytes: Int?
    }
    private let state = Locked(State())
    private let started: Double
    private let label: String

    public init(label: String, totalBytes: Int?, now: Double = ProcessInfo.processInfo.systemUptime) {
        self.label = label
        started = now
        state.withLock { $0.totalBytes = totalBytes }
    }

    func acknowledged(_ batch: Batch, skipped: Bool = false) {
        state.withLock {
            $0.rows += batch.rows
            $0.inputBytes += batch.inputBytes
            $0.batches += 1
            if skipped { $0.skipped += 1 }
        }
    }

    func rejected(_ batch: Batch) {
        state.withLock { $0.rejected += 1; $0.inputBytes += batch.inputBytes }
    }

    public var rows: Int { state.withLock { $0.rows } }
    public var batches: Int { state.withLock { $0.batches } }
    public var skipped: Int { state.withLock { $0.skipped } }

    public func lines(now: Double = ProcessInfo.processInfo.systemUptime) -> [String] {
        state.withLock { state in
            let elapsed = max(now - started, 0.001)
            var line = "\(label): \(Figures.count(state.rows)) rows  \(Figures.bytes(state.inputBytes))"
            if let total = state.totalBytes, total > 0 {
                let share = min(Double(state.inputBytes) / Double(total), 1)
                line += " of \(Figures.bytes(total)) (\(Int(share * 100))%)"
                let rate = Double(state.inputBytes) / elapsed
                if rate > 0, share < 1 { line += "  ETA \(Figures.duration(Double(total - state.inputBytes) / rate))" }
            }
            line += "  \(Figures.bytes(Int(Double(state.inputBytes) / elapsed)))/s  \(Figures.duration(elapsed))  \(state.batches) batches"
            if state.skipped > 0 { line += " (\(state.skipped) already sent)" }
            if state.rejected > 0 { line += ", \(state.rejected) rejected" }
            return [line]
        }
    }
}

import Foundation
import SluiceLocks

/// What a running `sluice read` has done so far, updated by its tasks and drawn by the
/// status display: one line per running task and a total.
public final class ReadProgress: Sendable {
    private struct Running { var rows = 0, bytes = 0, started: Double }
    private struct State {
        var running: [Int: Running] = [:]
        var tasks = 0, done = 0, rows = 0, bytes = 0
    }
    private let state = Locked(State())
    private let started: Double
    private let label: String

    public init(label: String, now: Double = ProcessInfo.processInfo.systemUptime) {
        self.label = label
        started = now
    }

    func planned(tasks: Int) { state.withLock { $0.tasks = tasks } }

    func began(task: Int, now: Double = ProcessInfo.processInfo.systemUptime) {
        state.withLock { $0.running[task] = Running(started: now) }
    }

    func streamed(task: Int, rows: Int, bytes: Int) {
        state.withLock { $0.running[task]?.rows = rows; $0.running[task]?.bytes += bytes }
    }

    /// A task's try failed: its partial rows no longer count.
    func restarted(task: Int) { state.withLock { $0.running[task] = nil } }

    func finished(task: Int, rows: Int, bytes: Int) {
        state.withLock {
            $0.running[task] = nil
            $0.done += 1
            $0.rows += rows
            $0.bytes += bytes
        }
    }

    /// The status lines: the total, then each running task.
    public func lines(now: Double = ProcessInfo.processInfo.systemUptime) -> [String] {
        state.withLock { state in
            let elapsed = max(now - started, 0.001)
            let rows = state.rows + state.running.values.reduce(0) { $0 + $1.rows }
            let bytes = state.bytes + state.running.values.reduce(0) { $0 + $1.bytes }
            var lines = ["\(label): \(state.done)/\(state.tasks) tasks  \(Figures.count(rows)) rows  \(Figures.bytes(bytes))  "
                         + "\(Figures.bytes(Int(Double(bytes) / elapsed)))/s  \(Figures.duration(elapsed))"]
            for (task, running) in state.running.sorted(by: { $0.key < $1.key }) {
                let taskElapsed = max(now - running.started, 0.001)
                lines.append("  task \(task): \(Figures.count(running.rows)) rows  \(Figures.bytes(running.bytes))  "
                             + "\(Figures.bytes(Int(Double(running.bytes) / taskElapsed)))/s")
            }
            return lines
        }
    }
}

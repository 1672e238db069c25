import Foundation
import Glibc
import SluiceLocks

/// A live status of one or more lines on standard error, redrawn at most ten times a second
/// in place (ANSI cursor moves), and erased by `stop()`, so the terminal is left clean.
/// Off (draws nothing) when standard error is not a terminal or the command is `--quiet`.
public final class ProgressDisplay: Sendable {
    public let isEnabled: Bool
    private let drawn = Locked(0)  // lines currently on screen
    private let ticker = Locked<Task<Void, Never>?>(nil)

    public init(quiet: Bool) {
        isEnabled = !quiet && isatty(2) == 1
    }

    /// Starts redrawing `render()` every `interval` seconds until `stop()`.
    public func start(interval: Double = 0.1, _ render: @escaping @Sendable () -> [String]) {
        guard isEnabled else { return }
        let task = Task.detached { [self] in
            while !Task.isCancelled {
                self.draw(render())
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
            }
        }
        ticker.withLock { $0 = task }
    }

    /// Erases the status; what is printed next starts on a clean line.
    public func stop() {
        let task = ticker.withLock { task -> Task<Void, Never>? in defer { task = nil }; return task }
        task?.cancel()
        guard isEnabled else { return }
        drawn.withLock { count in
            Self.emit(TerminalFrame.erase(previous: count))
            count = 0
        }
    }

    /// Prints a line above the status (a retry notice, a warning), then redraws nothing until the next tick.
    public func note(_ line: String) {
        drawn.withLock { count in
            Self.emit((isEnabled ? TerminalFrame.erase(previous: count) : "") + line + "\n")
            count = 0
        }
    }

    private func draw(_ lines: [String]) {
        let width = Self.terminalWidth()
        drawn.withLock { count in
            Self.emit(TerminalFrame.redraw(lines, previous: count, width: width))
            count = lines.count
        }
    }

    static func emit(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }

    static func terminalWidth() -> Int {
        var size = winsize()
        return ioctl(2, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : 80
    }
}

/// The escape sequences that replace one frame of status lines with the next.
public enum TerminalFrame {
    private static let escape = "\u{1B}["

    /// From the end of a frame of `previous` lines (the cursor on its last line, no newline
    /// after it): back to its first line, then `lines`, each cut to `width - 1` columns so that
    /// none wraps, and whatever is left of the old frame erased.
    public static func redraw(_ lines: [String], previous: Int, width: Int) -> String {
        var out = toFirstLine(previous)
        for (index, line) in lines.enumerated() {
            out += escape + "2K" + String(line.prefix(max(width - 1, 10)))
            if index < lines.count - 1 { out += "\n" }
        }
        return out + escape + "J"
    }

    /// Erases a frame of `previous` lines, leaving the cursor at the start of its first line.
    public static func erase(previous: Int) -> String {
        previous == 0 ? "" : toFirstLine(previous) + escape + "J"
    }

    private static func toFirstLine(_ previous: Int) -> String {
        "\r" + (previous > 1 ? escape + "\(previous - 1)A" : "")
    }
}

/// Numbers as the status lines show them.
public enum Figures {
    public static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    public static func bytes(_ value: Int) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1000, unit < units.count - 1 { amount /= 1000; unit += 1 }
        return unit == 0 ? "\(value) B" : String(format: amount < 10 ? "%.1f" : "%.0f", amount) + " " + units[unit]
    }

    public static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.down))
        if whole < 60 { return String(format: "%.1f s", seconds) }
        return whole >= 3600 ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
                             : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}

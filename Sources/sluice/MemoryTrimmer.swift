import CSocketShims
import Dispatch

/// Gives freed heap memory back to the system every few seconds (`malloc_trim`).
///
/// The server keeps large buffers in the heap on purpose (see `cshim_tune_malloc` in `serve`),
/// and glibc returns memory only from the top of an arena, so a burst (many streams, a
/// flood of uploads) would otherwise leave its peak resident for good. A trim walks the free
/// lists and releases whole free pages; every few seconds it costs nothing measurable.
enum MemoryTrimmer {
    private static let queue = DispatchQueue(label: "sluice.malloc-trim", qos: .utility)
    nonisolated(unsafe) private static var timer: (any DispatchSourceTimer)?

    /// Starts trimming every `interval` (once per process).
    static func start(every interval: Duration = .seconds(2)) {
        queue.sync {
            guard timer == nil else { return }
            let source = DispatchSource.makeTimerSource(queue: queue)
            let ns = Int(interval.components.seconds) * 1_000_000_000 + Int(interval.components.attoseconds / 1_000_000_000)
            source.schedule(deadline: .now() + .nanoseconds(ns), repeating: .nanoseconds(ns), leeway: .nanoseconds(ns / 4))
            source.setEventHandler { _ = cshim_malloc_trim() }
            source.resume()
            timer = source
        }
    }
}

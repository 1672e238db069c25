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
    // `nonisolated(unsafe)` guard: read and written only inside `queue.sync` (the source is not Sendable).
    nonisolated(unsafe) private static var timer: (any DispatchSourceTimer)?

    /// Starts trimming every 2 s (once per process; later calls do nothing).
    static func start() {
        queue.sync {
            guard timer == nil else { return }
            let source = DispatchSource.makeTimerSource(queue: queue)
            source.schedule(deadline: .now() + .seconds(2), repeating: .seconds(2), leeway: .milliseconds(500))
            source.setEventHandler { _ = cshim_malloc_trim() }
            source.resume()
            timer = source
        }
    }
}

import ArgumentParser
import Foundation
import SluiceClient

struct Read: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a source's rows: every task, several at a time, each checked complete.",
        discussion: """
            Rows go to standard output (or -o FILE, which appears only when the read is complete) in \
            task order, or as tasks complete with --unordered. A task whose stream is cut is read again \
            from its start (up to --retries); a read that cannot complete exits with status 1 and says why.
            """
    )

    @Argument(help: "The source's name (see `sluice connectors`).")
    var source: String

    @OptionGroup var serverOptions: ServerOptions

    @Option(name: .long, help: ArgumentHelp("Only these columns, comma-separated.", valueName: "a,b"))
    var columns: String?

    @Option(name: .customLong("where"), help: ArgumentHelp("A filter, e.g. \"score > 0.5 AND active\".", valueName: "expr"))
    var filter: String?

    @Option(name: .long, help: "At most this many rows in all.")
    var limit: Int?

    @Option(name: .long, help: "ndjson or csv.")
    var format: String = "ndjson"

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the rows to this file ('-': standard output).", valueName: "file"))
    var output: String?

    @Option(name: .long, help: "Tasks read at once.")
    var parallel: Int = 4

    @Flag(name: .long, help: "Write each task's rows as soon as the task is complete, not in task order.")
    var unordered = false

    @Option(name: .long, help: "Tries again per task (and per request) after a cut stream, a connection error or a 5xx.")
    var retries: Int = 5

    @Flag(name: .shortAndLong, help: "No progress and no notices; only the final line.")
    var quiet = false

    func validate() throws {
        guard format == "ndjson" || format == "csv" else {
            throw ValidationError("--format \(format): a read gives ndjson or csv")
        }
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
        guard retries >= 0 else { throw ValidationError("--retries must be 0 or more") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more") }
    }

    func run() async throws {
        let request = ReadRequest(source: source, columns: columns?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                                  filter: filter, limit: limit, format: RowFormat(rawValue: format)!, parallel: parallel,
                                  ordered: !unordered, retry: RetryPolicy(retries: retries))
        let display = ProgressDisplay(quiet: quiet)
        let progress = ReadProgress(label: source)
        let started = ProcessInfo.processInfo.systemUptime
        let quiet = quiet
        try await withServer(serverOptions, connections: parallel + 1) { client in
            let out = try OutputFile(path: output)
            let reader = SourceReader(client: client, request: request, progress: progress,
                                      note: { line in if !quiet { display.note(line) } })
            let work = Task { try await reader.run(into: out) }
            let interrupts = Interrupts { _ in work.cancel() }
            display.start { progress.lines() }
            defer { interrupts.cancel() }
            do {
                let outcome = try await work.value
                display.stop()
                try out.commit()
                let seconds = ProcessInfo.processInfo.systemUptime - started
                printError("\(source): \(Figures.count(outcome.rows)) rows (\(Figures.bytes(outcome.bytes))) from \(outcome.tasks) tasks in \(Figures.duration(seconds))")
            } catch {
                display.stop()
                out.discard()
                if interrupts.received > 0 {
                    printError("sluice: interrupted; \(output.map { "\($0) was not written" } ?? "the rows written so far are incomplete")")
                    throw ExitCode(130)
                }
                throw error
            }
        }
    }
}

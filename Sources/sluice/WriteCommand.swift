import ArgumentParser
import CSocketShims
import Foundation
import SluiceClient
import SluiceLocks

struct Write: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write files (or standard input) into a sink: batches in one write session, retried safely, then finalized.",
        discussion: """
            The input is cut into batches at row boundaries and each is uploaded with an Idempotency-Key, \
            so retries (connection errors, 5xx, 408, 429) never write twice. A rejected batch prints its \
            errors with file and line and aborts the session (unless --keep-going). Ctrl-C stops after the \
            batches in flight and leaves the session open for --resume; a second Ctrl-C aborts it.
            """
    )

    @Argument(help: "The sink's name (see `sluice connectors`).")
    var sink: String

    @Argument(help: "NDJSON, CSV or JSON files; '-' reads standard input.")
    var files: [String]

    @OptionGroup var serverOptions: ServerOptions

    @Option(name: .long, help: "ndjson, csv or json (default: from each file's extension; ndjson for standard input).")
    var format: String?

    @Option(name: .long, help: "Rows per batch (a batch also ends past 16 MiB).")
    var batchRows: Int = 250_000

    @Option(name: .long, help: "Batches uploaded at once.")
    var parallel: Int = 4

    @Flag(name: .long, help: "Compress each batch (Content-Encoding: gzip).")
    var gzip = false

    @Flag(name: .long, help: "Upload the other batches when one is rejected, and finalize what was accepted (exit status 2).")
    var keepGoing = false

    @Option(name: .long, help: ArgumentHelp("Carry on with this session: skip the batches it already has.", valueName: "id"))
    var resume: String?

    @Option(name: .long, help: "Tries again per request after a connection error, a 5xx, 408 or 429.")
    var retries: Int = 8

    @Flag(name: .long, help: "Print the finalize summary as the server's JSON instead of a table.")
    var json = false

    @Flag(name: .shortAndLong, help: "No progress, no session line and no notices; only the summary and errors.")
    var quiet = false

    func validate() throws {
        if let format, RowFormat(rawValue: format) == nil { throw ValidationError("--format \(format): give ndjson, csv or json") }
        guard batchRows >= 1 else { throw ValidationError("--batch-rows must be at least 1") }
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
        guard retries >= 0 else { throw ValidationError("--retries must be 0 or more") }
        guard files.filter({ $0 == "-" }).count <= 1 else { throw ValidationError("standard input ('-') can be read once") }
    }

    func run() async throws {
        // Batch buffers come from the heap and are reused, instead of fresh pages per batch.
        _ = cshim_tune_malloc(32 << 20, 128 << 20)
        let inputs: [InputFile]
        do { inputs = try files.map { try InputFile(path: $0, format: format.flatMap(RowFormat.init(rawValue:))) } } catch {
            printError("sluice: \(error)")
            throw ExitCode(1)
        }
        let total = inputs.allSatisfy { $0.size != nil } ? inputs.reduce(0) { $0 + ($1.size ?? 0) } : nil
        let request = WriteRequest(sink: sink, batchRows: batchRows, parallel: parallel, gzip: gzip, keepGoing: keepGoing,
                                   resume: resume, retry: RetryPolicy(retries: retries))
        let display = ProgressDisplay(quiet: quiet)
        let progress = WriteProgress(label: sink, totalBytes: total)
        let quiet = quiet
        let resumeHint = { (session: String) in
            "sluice write --resume \(session) \(sink) \(files.joined(separator: " "))"
        }
        try await withServer(serverOptions, connections: parallel + 1) { client in
            let writer = SinkWriter(client: client, request: request, progress: progress,
                                    note: { line in if !quiet { display.note(line) } })
            let (session, known) = try await writer.open()
            if !quiet {
                printError(resume == nil ? "sluice: writing to \(sink) in session \(session) (if this stops: \(resumeHint(session)))"
                                         : "sluice: resuming session \(session) on \(sink): \(known.count) batches already there")
            }
            let work = Task { try await writer.run(session: session, known: known, inputs: inputs) }
            let interrupts = Interrupts { count in
                if count == 1 {
                    writer.stop()
                    display.note("stopping after the batches in flight; Ctrl-C again aborts session \(session)")
                } else {
                    work.cancel()
                }
            }
            display.start { progress.lines() }
            defer { interrupts.cancel() }
            do {
                let outcome = try await work.value
                display.stop()
                for rejection in outcome.rejections { rejection.messages.forEach(printError) }
                if json {
                    FileHandle.standardOutput.write(Data(outcome.summary + [0x0A]))
                } else {
                    print(try TextTable.summary(outcome.summary).render(), terminator: "")
                }
                if !outcome.rejections.isEmpty {
                    printError("sluice: \(outcome.rejections.count) batch(es) rejected and left out; the others are written (session \(session))")
                    throw ExitCode(2)
                }
            } catch let stopped as WriteStopped {
                display.stop()
                switch stopped.reason {
                case .interrupted where interrupts.received >= 2:
                    do {
                        try await writer.abort(session: session)
                        printError("sluice: interrupted; session \(session) aborted, nothing of it is written")
                    } catch {
                        printError("sluice: interrupted; aborting session \(session) failed: \(FailureText.describe(error, server: client.address.baseURL))")
                    }
                    throw ExitCode(130)
                case .interrupted:
                    printError("sluice: interrupted; session \(session) stays open. Carry on with:\n  \(resumeHint(session))")
                    throw ExitCode(130)
                case let .rejected(rejections):
                    for rejection in rejections { rejection.messages.forEach(printError) }
                    printError("sluice: the server rejected \(rejections.count == 1 ? "a batch" : "\(rejections.count) batches"); "
                               + "session \(session) aborted, nothing of it is written (--keep-going writes the other batches)")
                    throw ExitCode(1)
                case let .failed(text):
                    printError("sluice: \(text)\nsluice: session \(session) stays open. Carry on with:\n  \(resumeHint(session))")
                    throw ExitCode(1)
                }
            }
        }
    }
}

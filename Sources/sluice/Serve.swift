import ArgumentParser
import CSocketShims
import Foundation
import HTTPServer
import Logging
import SluiceServer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the configured connectors (or the embedded demo) over HTTP."
    )

    @Option(name: .long, help: "Address to listen on; repeat for several (e.g. 127.0.0.1 and ::1). Use 0.0.0.0 for all.")
    var host: [String] = []

    @Option(name: .long, help: "TCP port (0 picks a free one).")
    var port: Int = 8080

    @OptionGroup var catalogOptions: CatalogOptions

    @Option(name: .long, help: ArgumentHelp(
        "Serve the browser page from this folder instead of the copy built into the binary (for page development).",
        discussion: "Files are read on each request, so edits show on reload; index.html is read at start."))
    var publicDir: String?

    @Option(name: .long, help: "Serve this file at /openapi.yaml instead of the copy built into the binary.")
    var openapi: String?

    @Option(name: .long, help: "Largest upload body in MiB (after decompression).")
    var maxUploadMib: Int = 4096

    @Option(name: .long, help: ArgumentHelp(
        "Connections served at once; past it a new connection gets 503 with Retry-After and is closed.",
        discussion: "Default: the descriptor limit (raised to its hard limit at start) less an eighth of it for files and databases."))
    var maxConnections: Int?

    @Option(name: .long, help: "Request bodies (uploads) read at once; past it a request with a body gets 503 with Retry-After, unread. (default: 32 per core)")
    var maxConcurrentUploads: Int?

    @Option(name: .long, help: "Seconds an idle write session stays open before it is aborted.")
    var sessionTtl: Int = 3600

    @Option(name: .long, help: ArgumentHelp(
        "Folder of the durable write-session state (an embedded SQLite database); 'memory' keeps sessions in memory only.",
        discussion: "Open write sessions in it are resumed at start. A relative path is taken from the current folder."))
    var state: String = "sluice-state"

    @Option(name: .long, help: "Seconds in-flight requests get to finish on SIGTERM/SIGINT.")
    var shutdownGrace: Int = 10

    @Option(name: .long, help: ArgumentHelp(
        "A YAML file of access tokens (a `tokens:` list as under `auth:` in the config); also SLUICE_TOKENS_FILE.",
        discussion: "Its tokens are added to the config's. With any token, every request but /healthz, /openapi.yaml and the page needs one."))
    var tokensFile: String?

    @Flag(name: .long, help: "Serve without access tokens on a non-loopback address (anyone who can reach the port can read and write everything).")
    var insecureNoAuth = false

    @Flag(name: .long, help: "Log warnings and errors only (no access log).")
    var quiet = false

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard maxUploadMib > 0 else { throw ValidationError("--max-upload-mib must be positive") }
        guard sessionTtl > 0 else { throw ValidationError("--session-ttl must be positive") }
        if let maxConnections, maxConnections <= 0 { throw ValidationError("--max-connections must be positive") }
        if let maxConcurrentUploads, maxConcurrentUploads <= 0 { throw ValidationError("--max-concurrent-uploads must be positive") }
        if let publicDir {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: publicDir, isDirectory: &isDirectory) else {
                throw ValidationError("--public-dir \(publicDir): no such folder")
            }
            guard isDirectory.boolValue else { throw ValidationError("--public-dir \(publicDir) is a file, not a folder") }
        }
        if let openapi, !FileManager.default.isReadableFile(atPath: openapi) {
            throw ValidationError("--openapi \(openapi): no such readable file")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = quiet ? .warning : .info
            return handler
        }
        // Streaming allocates and frees multi-MiB buffers all the time: keep them in the heap
        // (32 MiB mmap threshold; an arena returns memory once more than 8 MiB is free at its
        // top) instead of faulting pages in per batch.
        _ = cshim_tune_malloc(32 << 20, 8 << 20)
        MemoryTrimmer.start()
        let (catalog, configAuth, cors) = try reportingConfigErrors { try catalogOptions.loadConfig() }
        var auth = configAuth
        if let file = tokensFile ?? ProcessInfo.processInfo.environment["SLUICE_TOKENS_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) {
            do { auth.tokens += try AuthSettings.load(tokensFile: file, limits: auth.defaultLimits) } catch {
                FileHandle.standardError.write(Data("sluice: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        let hosts = host.isEmpty ? ["127.0.0.1"] : host
        if !auth.isEnabled, !insecureNoAuth, let exposed = hosts.first(where: { !Self.isLoopback($0) }) {
            FileHandle.standardError.write(Data(Self.refusal(exposed).utf8))
            throw ExitCode(1)
        }
        var options = SluiceApp.Options(hosts: hosts, port: port)
        options.auth = auth
        options.cors = cors
        options.page = publicDir.map { .folder($0) } ?? .embedded
        options.openAPIFile = openapi
        options.limits.maxUploadBytes = maxUploadMib << 20
        options.sessionTTL = TimeInterval(sessionTtl)
        Self.raiseDescriptorLimit()
        options.http.maxConnections = maxConnections ?? 0
        if let maxConcurrentUploads { options.http.maxConcurrentBodies = maxConcurrentUploads }
        let store: any WriteSessionStore
        if state == "memory" {
            store = InMemoryWriteSessionStore()
        } else {
            do { store = try SQLiteWriteSessionStore(folder: state) } catch {
                FileHandle.standardError.write(Data("sluice: cannot use the state folder: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
        let app = SluiceApp(catalog: catalog, options: options, store: store)
        try await app.start()
        // Written straight to the descriptor: a pipe reader sees it at once, not at exit.
        FileHandle.standardOutput.write(Data("Sluice serving \(catalog.entries.count) connector(s): open \(app.url)\n".utf8))
        await app.runUntilTerminated(gracePeriod: .seconds(shutdownGrace))
    }

    /// Raises the soft descriptor limit to the hard one (as nginx's worker_rlimit_nofile and
    /// Go's runtime do): every connection is a descriptor, and the default connection limit
    /// is derived from this.
    static func raiseDescriptorLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = min(limit.rlim_max, 1 << 20)
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// 127.0.0.0/8, ::1 and localhost: the addresses only this machine reaches.
    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    static func refusal(_ host: String) -> String {
        """
        sluice: refusing to serve on \(host) without access tokens: anyone who can reach it could read every source \
        and write into every sink.
          Add a token:   sluice token create --name me --scopes admin   (paste the entry it prints under auth: tokens: in the \
        config, or into a file given with --tokens-file / SLUICE_TOKENS_FILE)
          Or, deliberately: --insecure-no-auth
          Or listen on loopback only: --host 127.0.0.1

        """
    }
}

// The HTTP engine alone, for `Benchmarks/http_bench.py` (W1 small JSON, streaming,
// upload, idle connections) against nginx.
// Usage: http-bench-server [port] [small.json] [I/O queue count, default one per core]
#if canImport(Glibc)
import Glibc
#endif
import HTTPServer
import Logging

let arguments = CommandLine.arguments
let port = arguments.count > 1 ? Int(arguments[1]) ?? 18095 : 18095
let smallPath = arguments.count > 2 ? arguments[2] : "/tmp/sluice-bench/small.json"

/// The whole file, read once at start-up.
func readFile(_ path: String) -> [UInt8]? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes += buffer[0..<n]
    }
    return bytes
}

/// Writes to standard error (fd 2) without the C `stderr` global, which Swift 6 cannot share.
func writeError(_ text: String) {
    var text = text
    text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
}

guard let small = readFile(smallPath) else {
    writeError("cannot read \(smallPath) (run: python3 Benchmarks/bench_data.py .build/release/sluice)\n")
    exit(1)
}

/// 256 KiB of NDJSON-like text, sent repeatedly by /stream.
let streamChunk: [UInt8] = {
    let line = Array("{\"id\":123456,\"name\":\"row-abcdefghij\",\"value\":3.14159}\n".utf8)
    var chunk: [UInt8] = []
    chunk.reserveCapacity(256 * 1024)
    while chunk.count + line.count <= 256 * 1024 { chunk += line }
    return chunk
}()

var logger = Logger(label: "http-bench-server")
logger.logLevel = .warning

let router = Router()
router.get("/small.json") { _ in
    HTTPResponse(status: .ok, headers: ["Content-Type": "application/json"], body: small)
}
router.get("/stream") { request, writer in
    let megabytes = Int(request.query("mb") ?? "") ?? 100
    try await writer.start(status: .ok, headers: ["Content-Type": "application/x-ndjson"])
    var remaining = megabytes * 1024 * 1024
    while remaining > 0 {
        let piece = remaining >= streamChunk.count ? streamChunk : Array(streamChunk[0..<remaining])
        try await writer.write(piece)
        remaining -= piece.count
    }
    try await writer.finish()
}
router.post("/discard", bodyLimit: BodyLimit(.max)) { request, writer in
    var total = 0
    for try await chunk in request.body { total += chunk.count }
    try await writer.send(HTTPResponse(status: .noContent, headers: ["X-Bytes-Read": String(total)]))
}

var configuration = HTTPServerConfiguration()
configuration.port = port
if arguments.count > 3, let queues = Int(arguments[3]) { configuration.ioQueueCount = queues }
let server = HTTPServer(configuration: configuration, router: router, logger: logger)
do {
    try server.start()
} catch {
    writeError("http-bench-server: \(error)\n")
    exit(1)
}
print("http-bench-server listening on 127.0.0.1:\(server.port)")
fflush(nil)
await server.runUntilTerminated(gracePeriod: .seconds(2))

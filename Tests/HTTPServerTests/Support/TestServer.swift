import Foundation
@testable import HTTPServer
import Logging

/// Starts an `HTTPServer` on an ephemeral loopback port for one test.
func startServer(_ router: Router, configure: (inout HTTPServerConfiguration) -> Void = { _ in }) throws -> HTTPServer {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.ioQueueCount = 2
    configure(&configuration)
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let server = HTTPServer(configuration: configuration, router: router, logger: logger)
    try server.start()
    return server
}

/// Runs blocking client code on its own thread, off the Swift concurrency pool.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}

/// One request on a fresh connection; returns the response.
func exchange(_ port: Int, _ request: String, bodyless: Bool = false) async throws -> RawClient.Response {
    try await blocking {
        let client = try RawClient(port: port)
        try client.send(request)
        return try client.readResponse(bodyless: bodyless)
    }
}

/// Runs a command (curl) and returns its standard output.
func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: [UInt8]) {
    try await blocking {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, [UInt8](data))
    }
}

/// Polls `condition` (a hang guard of `seconds`, never a timing assertion).
func eventually(seconds: Double = 20, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// A small router for tests: `/hello` (sync), `/echo` (async, echoes the body), `/items/{id}`.
func testRouter() -> Router {
    let router = Router()
    router.get("/hello") { _ in .text("hello\n") }
    router.post("/echo") { request, writer in
        let body = try await request.collectBody(limit: 64 << 20)
        try await writer.send(HTTPResponse(status: .ok, headers: ["Content-Type": "application/octet-stream"], body: body))
    }
    router.get("/items/{id}") { request in .text("item \(request.parameter("id") ?? "-")") }
    return router
}

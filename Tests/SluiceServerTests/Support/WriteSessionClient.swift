import Foundation
import Testing

/// The calls of one write session, over the test client.
struct WriteSessionClient: Sendable {
    let client: TestHTTPClient
    let sink: String
    let id: String

    var path: String { "/v1/sinks/\(sink)/writes/\(id)" }

    /// `POST /v1/sinks/{sink}/writes`, expecting 201 with a Location.
    static func open(_ sink: String, on server: TestServer) async throws -> WriteSessionClient {
        let response = try await server.client.post("/v1/sinks/\(sink)/writes")
        try #require(response.status == 201, "open: \(response.status) \(response.text)")
        let id = try #require(try response.json["id"].string)
        #expect(response.header("Location") == "/v1/sinks/\(sink)/writes/\(id)")
        return WriteSessionClient(client: server.client, sink: sink, id: id)
    }

    func batch(_ text: String, contentType: String = "application/x-ndjson",
               headers: [(String, String)] = []) async throws -> HTTPTestResponse {
        try await client.post(path + "/batches", text: text, contentType: contentType, headers: headers)
    }

    func batch(bytes: [UInt8], contentType: String, headers: [(String, String)] = []) async throws -> HTTPTestResponse {
        try await client.post(path + "/batches", body: bytes, contentType: contentType, headers: headers)
    }

    func state() async throws -> HTTPTestResponse { try await client.get(path) }
    func finalize() async throws -> HTTPTestResponse { try await client.post(path + "/finalize") }
    func abort() async throws -> HTTPTestResponse { try await client.delete(path) }
}

extension TestServer {
    /// The lines of every file a file sink left in `folder` (relative to the test folder).
    func writtenLines(in folder: String) throws -> [String] {
        try directory.files(in: folder).flatMap { name in
            try String(contentsOfFile: directory.file(folder) + "/" + name, encoding: .utf8)
                .split(separator: "\n").map(String.init)
        }
    }

    /// The total size of the files in `folder`.
    func writtenBytes(in folder: String) throws -> Int {
        try directory.files(in: folder).reduce(0) { total, name in
            let attributes = try FileManager.default.attributesOfItem(atPath: directory.file(folder) + "/" + name)
            return total + ((attributes[.size] as? NSNumber)?.intValue ?? 0)
        }
    }
}

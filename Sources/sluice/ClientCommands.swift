import ArgumentParser
import Foundation
import SluiceClient
import SluiceServer
import NIOHTTP1
import SluiceCore

/// Where the server is, for the commands that talk to one.
struct ServerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The server's URL (default: $SLUICE_URL, else http://127.0.0.1:8080).", valueName: "url"))
    var server: String?

    @Option(name: .long, help: ArgumentHelp("An access token (default: $SLUICE_TOKEN), when the server wants one.", valueName: "token"))
    var token: String?

    func client(connections: Int = 8) throws -> ServerClient {
        do {
            return ServerClient(address: try ServerAddress(url: server, token: token, environment: ProcessInfo.processInfo.environment),
                                connections: connections)
        } catch let failure as ClientFailure {
            throw ValidationError(failure.description)
        }
    }
}

/// Writes a line to standard error at once.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Runs a client command's body with the client, shutting it down however it ends; a failure
/// is printed as one line (`sluice: ...`) and exits with status 1.
func withServer<T>(_ options: ServerOptions, connections: Int = 8, _ body: (ServerClient) async throws -> T) async throws -> T {
    let client = try options.client(connections: connections)
    do {
        let result = try await body(client)
        await client.shutdown()
        return result
    } catch let exit as ExitCode {
        await client.shutdown()
        throw exit
    } catch {
        await client.shutdown()
        printError("sluice: " + FailureText.describe(error, server: client.address.baseURL))
        throw ExitCode(1)
    }
}

struct Connectors: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List a running server's connectors: name, kind, type, schema.")

    @OptionGroup var serverOptions: ServerOptions

    @Flag(name: .long, help: "Print the server's JSON instead of a table.")
    var json = false

    struct Listing: Decodable {
        struct Field: Decodable { let name: String; let type: String; let nullable: Bool }
        struct Entry: Decodable {
            let name: String, kind: String, type: String, description: String
            let schema: [Field]?
            let input_schema: [Field]?
        }
        let connectors: [Entry]
    }

    func run() async throws {
        try await withServer(serverOptions) { client in
            let answer = try await RetryPolicy(retries: 2).run { try await client.send(.GET, "/v1/connectors") }
            if json {
                FileHandle.standardOutput.write(Data(answer.body))
                return
            }
            var table = TextTable(columns: ["NAME", "KIND", "TYPE", "SCHEMA"])
            for entry in try answer.decode(Listing.self).connectors {
                let fields = entry.kind == "source" ? entry.schema : entry.input_schema
                let schema = fields.map { $0.map { "\($0.name) \($0.type)\($0.nullable ? "" : " not null")" }.joined(separator: ", ") }
                    ?? "(inferred from uploads)"
                table.append([entry.name, entry.kind, entry.type, schema])
            }
            print(table.render(), terminator: "")
        }
    }
}

struct Types: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The connector types this binary knows, with their options and defaults.")

    func run() {
        for type in ConnectorRegistry.builtin.types.values.sorted(by: { $0.name < $1.name }) {
            print("\(type.name) (\(type.kinds.map(\.rawValue).joined(separator: " or "))): \(type.summary)")
            var table = TextTable(columns: ["  OPTION", "DEFAULT", "MEANING"])
            for option in type.options {
                table.append(["  " + option.name, option.defaultValue ?? "-", option.summary])
            }
            if !type.options.isEmpty { print(table.render(), terminator: "") }
            print("")
        }
    }
}

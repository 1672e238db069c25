import ArgumentParser
import Foundation
import SluiceCore
import SluiceServer

/// `sluice`: serve connectors over HTTP, check a config, list connectors.
@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A connector server: expose data sources and sinks over HTTP.",
        version: SluiceVersion.current,
        subcommands: [Serve.self, Read.self, Write.self, Connectors.self, Types.self, ValidateConfig.self, List.self, Token.self],
        defaultSubcommand: Serve.self
    )

    /// An unknown first word is a mistyped command (not an argument of the default `serve`):
    /// say so, with the nearest command.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let names = configuration.subcommands.compactMap { $0.configuration.commandName ?? nil }
            + configuration.subcommands.map { String(describing: $0).lowercased() } + ["help"]
        if let first = arguments.first, !first.hasPrefix("-"), !names.contains(first) {
            let known = Array(Set(configuration.subcommands.map { $0._commandName })).sorted()
            FileHandle.standardError.write(Data(("sluice: unknown command '\(first)'\(Suggestion.didYouMean(first, among: known))"
                                                 + " (commands: \(known.joined(separator: ", ")); sluice --help says more)\n").utf8))
            Foundation.exit(64)
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Options shared by the commands that load connectors.
struct CatalogOptions: ParsableArguments {
    @Option(name: .long, help: "A YAML file declaring the connectors (default: the embedded demo).")
    var config: String?

    func load() throws -> Catalog { try loadConfig().catalog }

    /// The catalog with the config's `auth:` and `cors:` sections (none for the demo).
    func loadConfig() throws -> (catalog: Catalog, auth: AuthSettings, cors: CORSPolicy) {
        if let config {
            let parsed = try SluiceConfig.load(file: config)
            return (try ConnectorRegistry.builtin.catalog(for: parsed), parsed.auth, parsed.cors)
        }
        return (try DemoCatalog.make(folder: DemoCatalog.defaultFolder), AuthSettings(), CORSPolicy())
    }
}

struct ValidateConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate-config",
        abstract: "Check a config file and report every error with its path."
    )

    @Argument(help: "The YAML config file.")
    var file: String

    func run() throws {
        do {
            let catalog = try ConnectorRegistry.builtin.catalog(for: try SluiceConfig.load(file: file))
            print("\(file): OK, \(catalog.entries.count) connector(s)")
        } catch let errors as ConfigErrors {
            FileHandle.standardError.write(Data((errors.messages.map { "\(file): \($0)" }.joined(separator: "\n") + "\n").utf8))
            throw ExitCode(1)
        }
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the connectors of a config (or the demo).")

    @OptionGroup var catalogOptions: CatalogOptions

    func run() throws {
        let catalog = try reportingConfigErrors { try catalogOptions.load() }
        let width = catalog.entries.map(\.name.count).max() ?? 4
        for entry in catalog.entries {
            let name = entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
            let kind = entry.kind.rawValue.padding(toLength: 6, withPad: " ", startingAt: 0)
            print("\(name)  \(kind)  \(entry.type): \(entry.description)")
        }
    }
}

/// Runs `body`, turning config errors into a readable message and exit status 1.
func reportingConfigErrors<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let errors as ConfigErrors {
        FileHandle.standardError.write(Data((errors.description + "\n").utf8))
        throw ExitCode(1)
    }
}

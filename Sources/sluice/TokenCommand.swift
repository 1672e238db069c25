import ArgumentParser
import Foundation
import SluiceServer

/// `sluice token create`: a new access token and the config entry that accepts it.
struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage access tokens.",
        subcommands: [Create.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new token (first line, shown once) and the entry to paste under auth.tokens in the config.",
            discussion: "The server keeps only the token's SHA-256: a lost token cannot be shown again, make a new one."
        )

        @Option(name: .long, help: "The token's name (logs, session ownership): letters, digits, '_', '-', '.'.")
        var name: String

        @Option(name: .long, help: "Comma-separated scopes: read:<connector|glob>, write:<connector|glob>, admin.")
        var scopes: String

        func validate() throws {
            guard SluiceConfig.isValidName(name) else { throw ValidationError("--name: letters, digits, '_', '-' or '.'") }
            for scope in scopeList where AccessScope(scope) == nil {
                throw ValidationError("--scopes: '\(scope)' is not a scope (read:<connector|glob>, write:<connector|glob>, admin)")
            }
            guard !scopeList.isEmpty else { throw ValidationError("--scopes: give at least one scope") }
        }

        private var scopeList: [String] {
            scopes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        func run() {
            let token = AccessToken.generate()
            print(token)
            print("""
                # Paste under `auth: tokens:` in the config (the token above is not stored anywhere):
                - name: \(name)
                  sha256: \(Hex.string(AccessToken.digest(of: token)))
                  scopes: [\(scopeList.map { "\"\($0)\"" }.joined(separator: ", "))]
                """)
        }
    }
}

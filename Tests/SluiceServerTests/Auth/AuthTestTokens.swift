import Foundation
import Logging
import SluiceServer

/// The tokens of the access-control tests: each one's text and the entry the server has.
enum AuthTestTokens {
    static let reader = "reader-token-0123456789abcdef"
    static let writer = "writer-token-0123456789abcdef"
    static let otherWriter = "other-writer-token-0123456789"
    static let admin = "admin-token-0123456789abcdef"
    static let limited = "limited-token-0123456789abcdef"
    static let all = [reader, writer, otherWriter, admin, limited]

    static var settings: AuthSettings {
        AuthSettings(tokens: [
            AccessToken(name: "reader", digest: AccessToken.digest(of: reader), scopes: [.read("numbers"), .read("sm*")]),
            AccessToken(name: "writer", digest: AccessToken.digest(of: writer), scopes: [.write("discard"), .write("users")]),
            AccessToken(name: "other-writer", digest: AccessToken.digest(of: otherWriter), scopes: [.write("*")]),
            AccessToken(name: "admin", digest: AccessToken.digest(of: admin), scopes: [.admin]),
            AccessToken(name: "limited", digest: AccessToken.digest(of: limited), scopes: [.write("*"), .read("*")],
                        limits: TokenLimits(streams: 1, uploads: 1, sessions: 2)),
        ])
    }

    static func bearer(_ token: String) -> [(String, String)] { [("Authorization", "Bearer " + token)] }
}

extension TestServer {
    /// A test server that checks the test tokens.
    /// A test server that checks the test tokens; with `logs`, its log lines (info and up) go there.
    static func runWithAuth<T>(logs: LogCapture? = nil, cors: CORSPolicy = CORSPolicy(),
                               _ body: (TestServer) async throws -> T) async throws -> T {
        try await run(logHandler: logs?.handler, configure: { options in
            options.auth = AuthTestTokens.settings
            options.cors = cors
        }, body)
    }
}

import Foundation
import SluiceCore

/// The `auth:` section of a config (and the tokens of a tokens file):
///
/// ```yaml
/// auth:
///   tokens:
///     - name: ci
///       sha256: 9f86d081884c7d65...   # hex SHA-256 of the token
///       scopes: ["read:*", "write:users"]
///       limits: {streams: 4}          # optional, per token
///   tokens_file: tokens.yaml           # more tokens, same `tokens:` shape
///   public_metrics: false              # /metrics without a token
///   limits: {streams: 16, uploads: 8, sessions: 64}   # defaults per token
/// ```
///
/// With no tokens at all, the server does not check tokens (and refuses to listen beyond
/// loopback unless told `--insecure-no-auth`).
public struct AuthSettings: Sendable {
    public var tokens: [AccessToken] = []
    public var publicMetrics = false
    public var defaultLimits = TokenLimits()

    public init(tokens: [AccessToken] = [], publicMetrics: Bool = false, defaultLimits: TokenLimits = TokenLimits()) {
        self.tokens = tokens
        self.publicMetrics = publicMetrics
        self.defaultLimits = defaultLimits
    }

    /// Whether requests need a token.
    public var isEnabled: Bool { !tokens.isEmpty }

    /// Reads the section at `path` (`auth`); relative file names resolve against `baseDirectory`.
    public init(_ value: OptionValue, path: String = "auth", baseDirectory: String) throws {
        let options = try ConnectorOptions(value, path: path, baseDirectory: baseDirectory)
        publicMetrics = try options.bool("public_metrics") ?? false
        if let limits = options.raw("limits") { defaultLimits = try Self.limits(limits, path: path + ".limits", base: TokenLimits()) }
        if let list = options.raw("tokens") { tokens = try Self.tokens(list, path: path + ".tokens", limits: defaultLimits) }
        if let file = try options.string("tokens_file") { tokens += try Self.load(tokensFile: options.resolve(file), limits: defaultLimits) }
        try options.finish()
        try Self.checkNames(tokens, path: path + ".tokens")
    }

    /// The tokens of a tokens file: a YAML mapping with a `tokens:` list as in the config.
    public static func load(tokensFile file: String, limits: TokenLimits = TokenLimits()) throws -> [AccessToken] {
        let config: String
        do { config = try String(contentsOfFile: file, encoding: .utf8) } catch {
            throw OptionError(path: file, "cannot read the tokens file: \(error.localizedDescription)")
        }
        let value = try SluiceConfig.optionValue(yaml: config, file: file)
        let options = try ConnectorOptions(value, path: file, baseDirectory: ".")
        let tokens = try options.raw("tokens").map { try Self.tokens($0, path: file + ": tokens", limits: limits) } ?? []
        try options.finish()
        return tokens
    }

    private static func tokens(_ value: OptionValue, path: String, limits: TokenLimits) throws -> [AccessToken] {
        guard case let .list(items) = value else { throw OptionError(path: path, "must be a list of tokens") }
        return try items.enumerated().map { i, item in
            let at = "\(path)[\(i)]"
            let options = try ConnectorOptions(item, path: at, baseDirectory: ".")
            let name = try options.requiredString("name")
            guard SluiceConfig.isValidName(name) else { throw OptionError(path: at + ".name", "letters, digits, '_', '-' or '.'") }
            guard let digest = Hex.bytes(try options.requiredString("sha256"), count: 32) else {
                throw OptionError(path: at + ".sha256", "must be the token's SHA-256 as 64 hex digits (`sluice token create` prints it)")
            }
            let scopeTexts = try options.strings("scopes") ?? []
            guard !scopeTexts.isEmpty else { throw OptionError(path: at + ".scopes", "is required: e.g. [\"read:*\", \"write:users\"] or [admin]") }
            let scopes = try scopeTexts.enumerated().map { j, text in
                guard let scope = AccessScope(text) else {
                    throw OptionError(path: "\(at).scopes[\(j)]", "'\(text)' is not a scope (read:<connector|glob>, write:<connector|glob>, admin)")
                }
                return scope
            }
            let own = try options.raw("limits").map { try Self.limits($0, path: at + ".limits", base: limits) } ?? limits
            try options.finish()
            return AccessToken(name: name, digest: digest, scopes: scopes, limits: own)
        }
    }

    private static func limits(_ value: OptionValue, path: String, base: TokenLimits) throws -> TokenLimits {
        let options = try ConnectorOptions(value, path: path, baseDirectory: ".")
        var limits = base
        limits.streams = try options.int("streams", min: 1) ?? base.streams
        limits.uploads = try options.int("uploads", min: 1) ?? base.uploads
        limits.sessions = try options.int("sessions", min: 1) ?? base.sessions
        try options.finish()
        return limits
    }

    private static func checkNames(_ tokens: [AccessToken], path: String) throws {
        var names = Set<String>(), digests = Set<[UInt8]>()
        for token in tokens {
            guard names.insert(token.name).inserted else { throw OptionError(path: path, "two tokens are named '\(token.name)'") }
            guard digests.insert(token.digest).inserted else { throw OptionError(path: path, "token '\(token.name)' has the sha256 of another token") }
        }
    }
}

import Foundation
import NIOSSL
import PostgresNIO
import SluiceCore

/// How to reach a PostgreSQL server, from the options `host` (default `localhost`), `port`
/// (default 5432), `database` (required), `user` (required), `password` or `password_file`
/// (a file whose first line is the password), and `sslmode`: `disable`, `prefer` (default:
/// TLS when the server offers it) or `require` (TLS without certificate checks, as libpq's
/// `require`).
///
/// The password is kept out of `description`, errors and logs: a `password_file` is read
/// when the connector is made, and only `user@host:port/database` is ever shown.
struct PostgresSettings: Sendable, CustomStringConvertible {
    enum SSLMode: String, Sendable { case disable, prefer, require }

    let host: String
    let port: Int
    let database: String
    let user: String
    let password: String?
    let sslMode: SSLMode

    init(_ options: ConnectorOptions) throws {
        host = try options.string("host") ?? "localhost"
        port = try options.int("port", min: 1) ?? 5432
        guard port <= 65_535 else { throw OptionError(path: options.path(of: "port"), "must be a port number (1-65535)") }
        database = try options.requiredString("database")
        user = try options.requiredString("user")
        let inline = try options.string("password")
        let file = try options.string("password_file")
        switch (inline, file) {
        case (_?, _?): throw OptionError(path: options.path(of: "password"), "give password or password_file, not both")
        case let (password, nil): self.password = password
        case let (nil, file?):
            let path = options.resolve(file)
            guard let text = FileManager.default.contents(atPath: path) else {
                throw OptionError(path: options.path(of: "password_file"), "cannot read \(path)")
            }
            password = String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                .first.map(String.init) ?? ""
        }
        sslMode = try SSLMode(rawValue: options.choice("sslmode", ["disable", "prefer", "require"]) ?? "prefer")!
    }

    /// `user@host:port/database`: no password.
    var description: String { "\(user)@\(host):\(port)/\(database)" }

    private var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateVerification = .none
        return configuration
    }

    /// For the pool.
    var clientConfiguration: PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(tlsConfiguration)
        case .require: tls = .require(tlsConfiguration)
        }
        var configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                         database: database, tls: tls)
        configuration.options.maximumConnections = 16
        return configuration
    }

    /// For a single connection (`PostgresPool.verify`).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case .disable: tls = .disable
        case .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration))
        case .require: tls = .require(try NIOSSLContext(configuration: tlsConfiguration))
        }
        return PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }
}

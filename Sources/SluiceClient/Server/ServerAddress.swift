/// Where the server is and how to authenticate: `--server` or `SLUICE_URL` (default
/// `http://127.0.0.1:8080`), `--token` or `SLUICE_TOKEN`.
public struct ServerAddress: Sendable {
    public static let defaultURL = "http://127.0.0.1:8080"

    /// Scheme, host and port (and a path prefix when the server sits behind one), no trailing slash.
    public let baseURL: String
    public let token: String?

    public init(url: String?, token: String?, environment: [String: String]) throws {
        var base = url ?? environment["SLUICE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultURL
        if !base.contains("://") { base = "http://" + base }
        guard base.hasPrefix("http://") || base.hasPrefix("https://") else {
            throw ClientFailure("--server \(base): the address must be http:// or https://")
        }
        while base.hasSuffix("/") { base.removeLast() }
        baseURL = base
        self.token = token ?? environment["SLUICE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The URL of a server path (`/v1/...`, already escaped).
    public func url(_ path: String) -> String { baseURL + path }
}

/// Escaping of path segments and query values (RFC 3986 unreserved characters stay as they are).
enum URLEscaping {
    static func component(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(UnicodeScalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(UnicodeScalar(hex[Int(byte >> 4)])) + String(UnicodeScalar(hex[Int(byte & 15)]))
            }
        }
        return out
    }

    /// `?a=1&b=2` from the pairs whose value is set, or "".
    static func query(_ pairs: [(String, String?)]) -> String {
        let parts = pairs.compactMap { name, value in value.map { "\(name)=\(component($0))" } }
        return parts.isEmpty ? "" : "?" + parts.joined(separator: "&")
    }
}

/// A route path such as `/v1/sources/{name}/rows` or `/static/{path*}`: literal segments,
/// `{name}` parameters matching one segment, and a final `{name*}` matching the rest of the
/// path (possibly empty). Parameters are percent-decoded; a malformed escape does not match.
struct PathPattern: Sendable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case rest(String)
    }

    let segments: [Segment]
    let description: String

    init(_ pattern: String) {
        description = pattern
        segments = Self.split(Substring(pattern)).map { part in
            if part.hasPrefix("{"), part.hasSuffix("*}") { return .rest(String(part.dropFirst().dropLast(2))) }
            if part.hasPrefix("{"), part.hasSuffix("}") { return .parameter(String(part.dropFirst().dropLast())) }
            return .literal(String(part))
        }
        precondition(!segments.dropLast().contains { if case .rest = $0 { return true } else { return false } },
                     "a {name*} segment must be the last one in \(pattern)")
    }

    /// True when the pattern has no parameters (it can be looked up by exact path).
    var isLiteral: Bool { segments.allSatisfy { if case .literal = $0 { return true } else { return false } } }

    /// The segments of a path after its leading slash (`/a/b/` → `a`, `b`, ``).
    static func split(_ path: Substring) -> [Substring] {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.first == "" { parts.removeFirst() }
        return parts
    }

    /// The decoded parameters if `pathSegments` match, else nil.
    func match(_ pathSegments: [Substring]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (i, segment) in segments.enumerated() {
            switch segment {
            case .rest(let name):
                let rest = i < pathSegments.count ? pathSegments[i...].joined(separator: "/") : ""
                guard let decoded = PercentDecoding.decode(Substring(rest)) else { return nil }
                parameters[name] = decoded
                return parameters
            case .literal(let literal):
                guard i < pathSegments.count, PercentDecoding.decode(pathSegments[i]) == literal else { return nil }
            case .parameter(let name):
                guard i < pathSegments.count, !pathSegments[i].isEmpty,
                      let decoded = PercentDecoding.decode(pathSegments[i]) else { return nil }
                parameters[name] = decoded
            }
        }
        return segments.count == pathSegments.count ? parameters : nil
    }
}

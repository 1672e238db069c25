import Foundation

/// A server's error answer (RFC 9457 problem+json), or a non-2xx answer without one.
public struct ServerProblem: Error, Sendable, CustomStringConvertible {
    /// One located error of a rejected upload (`errors[]` of a 422).
    public struct Located: Decodable, Sendable {
        public let line: Int?
        public let column: Int?
        public let field: String?
        public let message: String
    }

    public let status: Int
    /// The problem type without its `urn:sluice:problem:` prefix, e.g. `not-found`.
    public let type: String?
    public let title: String?
    public let detail: String?
    public let errors: [Located]
    /// `Retry-After`, in seconds, when the server sent one.
    public let retryAfter: Double?

    /// Reads a problem body; any other body becomes the detail (shortened).
    public init(status: Int, body: [UInt8], retryAfter: Double? = nil) {
        struct Wire: Decodable {
            let type: String?, title: String?, detail: String?, errors: [Located]?
        }
        self.status = status
        self.retryAfter = retryAfter
        if let wire = try? JSONDecoder().decode(Wire.self, from: Data(body)) {
            type = wire.type.map { $0.hasPrefix("urn:sluice:problem:") ? String($0.dropFirst(19)) : $0 }
            title = wire.title
            detail = wire.detail
            errors = wire.errors ?? []
        } else {
            type = nil
            title = nil
            let text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            detail = text.isEmpty ? nil : text
            errors = []
        }
    }

    public var description: String {
        let what = detail ?? title ?? "no details"
        return "HTTP \(status)\(type.map { " \($0)" } ?? ""): \(what)"
    }
}

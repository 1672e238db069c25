/// A route's request body limit: the most bytes of content a body may have (after
/// decompression for a compressed body, the bytes on the wire otherwise), and the setting
/// that changes it, named in the 413 so that a client or an operator knows what to ask for.
///
/// ```swift
/// router.post("/upload", bodyLimit: BodyLimit(4 << 30, setting: "--max-upload-mib")) { ... }
/// router.post("/small", bodyLimit: 1024) { ... }     // an integer literal: no setting named
/// ```
public struct BodyLimit: Sendable, Hashable, ExpressibleByIntegerLiteral {
    public var bytes: Int
    /// What sets the limit (a flag, a config key), or nil.
    public var setting: String?

    public init(_ bytes: Int, setting: String? = nil) {
        self.bytes = bytes
        self.setting = setting
    }

    public init(integerLiteral bytes: Int) { self.init(bytes) }

    /// 413 for a body past the limit; `declared` is the `Content-Length` of a body refused
    /// before it was read.
    func exceeded(declared: Int? = nil) -> HTTPError {
        let size = bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
        let body = declared.map { "the request body of \($0) bytes" } ?? "the request body"
        return HTTPError(.contentTooLarge, detail: "\(body) is larger than this route's limit of \(size) (counted after decompression)"
                            + (setting.map { "; \($0) sets it" } ?? ""))
    }
}

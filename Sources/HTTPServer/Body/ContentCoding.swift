extension BodyInflater.Coding {
    /// The request's `Content-Encoding`, if its body needs decompressing (nil for none or
    /// `identity`); 415 for an unknown coding or more than one.
    static func of(_ headers: HTTPHeaders) throws -> BodyInflater.Coding? {
        let codings = headers.tokens(for: "Content-Encoding").filter { $0 != "identity" }
        guard let coding = codings.first else { return nil }
        guard codings.count == 1 else {
            throw HTTPError(.unsupportedMediaType, detail: "more than one content coding in Content-Encoding")
        }
        switch coding {
        case "gzip", "x-gzip": return .gzip
        case "deflate": return .deflate
        default: throw HTTPError(.unsupportedMediaType, detail: "Content-Encoding '\(coding)' is not supported; use gzip or deflate")
        }
    }
}

extension HTTPResponse {
    /// Gzips a whole response body when the request accepts gzip and the body is worth it
    /// (at least the configured size, or identity refused); adds `Vary: Accept-Encoding`
    /// either way. Used by HTTP/1.1 and HTTP/2 alike.
    mutating func compressIfAccepted(requestHeaders: HTTPHeaders, configuration: HTTPServerConfiguration) {
        headers.add("Vary", "Accept-Encoding")
        guard status.allowsBody, !headers.contains("Content-Encoding") else { return }
        let accept = AcceptEncoding(requestHeaders)
        guard accept.allowsGzip, body.count >= configuration.minimumCompressedSize || accept.refusesIdentity,
              let compressed = try? GzipCompressor.gzip(body, level: configuration.compressionLevel) else { return }
        body = compressed
        headers["Content-Encoding"] = "gzip"
    }
}

/// Reads `Accept-Encoding` (RFC 9110 §12.5.3) to decide whether a response may, or must,
/// be gzip-compressed: q-values, `*`, and `identity;q=0`.
struct AcceptEncoding {
    /// gzip is acceptable (q > 0, explicitly or through `*`).
    let allowsGzip: Bool
    /// identity is refused (`identity;q=0`, or `*;q=0` without identity listed), so an
    /// uncompressed body would not be acceptable even when small.
    let refusesIdentity: Bool

    init(_ headers: HTTPHeaders) {
        var gzip: Double?
        var identity: Double?
        var wildcard: Double?
        for value in headers.values(for: "Accept-Encoding") {
            for element in value.split(separator: ",") {
                let parts = element.split(separator: ";")
                guard let first = parts.first else { continue }
                let coding = first.trimmingASCIIWhitespace().lowercased()
                var q = 1.0
                for parameter in parts.dropFirst() {
                    let p = parameter.trimmingASCIIWhitespace()
                    if p.lowercased().hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
                }
                switch coding {
                case "gzip", "x-gzip": gzip = max(gzip ?? 0, q)
                case "identity": identity = q
                case "*": wildcard = q
                default: break
                }
            }
        }
        let gzipQ = gzip ?? wildcard ?? 0
        allowsGzip = gzipQ > 0
        refusesIdentity = identity == 0 || (identity == nil && wildcard == 0)
    }
}

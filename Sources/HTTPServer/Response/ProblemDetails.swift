/// Builds RFC 9457 `application/problem+json` bodies: `{"type","title","status","detail"}`.
///
/// `type` is `about:blank` unless a prefix is given (`HTTPServerConfiguration.problemTypePrefix`),
/// in which case it is the prefix followed by the status's slug (`urn:example:not-found`), so
/// that the engine's own errors match the problem types of the application it serves.
public enum ProblemDetails {
    public static func response(for error: HTTPError, typePrefix: String? = nil) -> HTTPResponse {
        var body: [UInt8] = []
        body.reserveCapacity(96 + error.detail.utf8.count)
        body.append(contentsOf: #"{"type":"#.utf8)
        appendJSONString(typePrefix.map { $0 + error.status.slug } ?? "about:blank", to: &body)
        body.append(contentsOf: #","title":"#.utf8)
        appendJSONString(error.title, to: &body)
        body.append(contentsOf: #","status":"#.utf8)
        body.append(contentsOf: String(error.status.code).utf8)
        body.append(contentsOf: #","detail":"#.utf8)
        appendJSONString(error.detail, to: &body)
        body.append(contentsOf: "}\n".utf8)
        return HTTPResponse(status: error.status, headers: ["Content-Type": "application/problem+json"], body: body)
    }

    /// Appends `text` as a JSON string literal, escaping quotes, backslashes and controls.
    public static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 10: out.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: out.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

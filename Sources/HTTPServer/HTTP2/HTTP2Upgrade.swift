/// HTTP/1.1 `Upgrade: h2c` (RFC 7540 §3.2): a request without a body that carries
/// `Upgrade: h2c`, `HTTP2-Settings` and `Connection: Upgrade, HTTP2-Settings` is answered
/// by 101 and then, as stream 1, over HTTP/2.
enum HTTP2Upgrade {
    static let switchingProtocols: [UInt8] = Array("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n".utf8)

    /// The decoded SETTINGS payload when `head` asks for h2c and can have it; nil otherwise
    /// (the request is then served over HTTP/1.1, as RFC 9110 allows).
    static func settingsPayload(of head: RequestHead) -> [UInt8]? {
        guard let encoded = head.headers["HTTP2-Settings"], !head.framing.hasBody,
              head.headers.tokens(for: "Upgrade").contains("h2c"),
              head.headers.tokens(for: "Connection").contains("upgrade") else { return nil }
        return decodeBase64URL(encoded)
    }

    /// base64url without padding (RFC 4648 §5), as `HTTP2-Settings` is sent; nil if invalid.
    static func decodeBase64URL(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text.utf8 {
            let value: UInt8
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): value = byte - UInt8(ascii: "A")
            case UInt8(ascii: "a")...UInt8(ascii: "z"): value = byte - UInt8(ascii: "a") + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0") + 52
            case UInt8(ascii: "-"), UInt8(ascii: "+"): value = 62
            case UInt8(ascii: "_"), UInt8(ascii: "/"): value = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return out
    }
}

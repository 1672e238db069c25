/// The client connection preface of HTTP/2 with prior knowledge (RFC 9113 §3.4), checked
/// only on a connection's first bytes, which may arrive in pieces.
enum HTTP2Preface {
    static let bytes: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    enum Match {
        case complete
        /// The input so far is a prefix of the preface: wait for more bytes.
        case partial
        case mismatch
    }

    static func match(_ input: UnsafeRawBufferPointer) -> Match {
        let n = min(input.count, bytes.count)
        for i in 0..<n where input[i] != bytes[i] { return .mismatch }
        return n == bytes.count ? .complete : .partial
    }
}

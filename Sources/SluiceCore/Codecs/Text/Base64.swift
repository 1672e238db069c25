/// Standard base64 (RFC 4648, `+/`, padded) for Binary values in JSON and CSV.
enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    /// Sextet for each byte, 0xFF for bytes outside the alphabet.
    private static let sextets: [UInt8] = {
        var t = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = UInt8(i) }
        return t
    }()

    static func encodedLength(_ byteCount: Int) -> Int { (byteCount + 2) / 3 * 4 }

    /// Writes the padded encoding of `bytes` at `p`; returns the end.
    static func write(_ bytes: UnsafeRawBufferPointer, to p: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var q = p
        alphabet.withUnsafeBufferPointer { a in
            var i = 0
            let n = bytes.count
            while i + 3 <= n {
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                q[0] = a[Int(v >> 18)]; q[1] = a[Int(v >> 12 & 63)]
                q[2] = a[Int(v >> 6 & 63)]; q[3] = a[Int(v & 63)]
                q += 4
                i += 3
            }
            if n - i == 1 {
                let v = UInt32(bytes[i]) << 16
                q[0] = a[Int(v >> 18)]; q[1] = a[Int(v >> 12 & 63)]
                q[2] = UInt8(ascii: "="); q[3] = UInt8(ascii: "=")
                q += 4
            } else if n - i == 2 {
                let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
                q[0] = a[Int(v >> 18)]; q[1] = a[Int(v >> 12 & 63)]
                q[2] = a[Int(v >> 6 & 63)]; q[3] = UInt8(ascii: "=")
                q += 4
            }
        }
        return q
    }

    /// Decodes padded or unpadded base64 into `out` (reset first); false when the text is
    /// not base64.
    static func decode(_ text: UnsafeRawBufferPointer, into out: ByteScratch) -> Bool {
        out.reset()
        var n = text.count
        while n > 0, text[n - 1] == UInt8(ascii: "=") { n -= 1 }
        guard text.count - n <= 2, n % 4 != 1 else { return false }
        if text.count != n, text.count % 4 != 0 { return false }
        return sextets.withUnsafeBufferPointer { s in
            var acc: UInt32 = 0
            var bits = 0
            for i in 0..<n {
                let v = s[Int(text[i])]
                guard v != 0xFF else { return false }
                acc = acc << 6 | UInt32(v)
                bits += 6
                if bits >= 8 {
                    bits -= 8
                    out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits)))
                }
            }
            return true
        }
    }
}
